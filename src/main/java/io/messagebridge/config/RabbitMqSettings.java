package io.messagebridge.config;

import com.rabbitmq.client.ConnectionFactory;

/** Where RabbitMQ is and how to log in; the password never appears in {@link #toString()} or logs. */
public record RabbitMqSettings(String host, int port, String username, String password, String virtualHost) {

    public static RabbitMqSettings from(Settings settings) {
        return new RabbitMqSettings(
                settings.text("rabbitmq.host"),
                settings.port("rabbitmq.port"),
                settings.text("rabbitmq.username"),
                settings.text("rabbitmq.password"),
                settings.text("rabbitmq.vhost", "/"));
    }

    public String address() {
        return host + ":" + port;
    }

    /** A plain amqp-client factory; Spring wraps it for the Camel components, the batch publisher uses it as is. */
    public ConnectionFactory clientConnectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setConnectionTimeout(5_000);
        factory.setRequestedHeartbeat(30);
        // Spring's factory and our publisher reconnect on their own terms; the client's recovery would race them.
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    @Override
    public String toString() {
        return "RabbitMqSettings[" + username + "@" + address() + virtualHost + ", password=****]";
    }
}
