package io.messagebridge.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.rabbitmq.client.ConnectionFactory;

/**
 * Where RabbitMQ is, how to log in, and whether to use TLS (amqps, {@code bridge.rabbitmq.ssl.*}); the passwords never
 * appear in {@link #toString()} or logs.
 */
public record RabbitMqSettings(String host, int port, String username, String password, String virtualHost,
                               boolean tls, String truststore, String truststorePassword) {

    public static final String CONFIRM_TIMEOUT_KEY = "bridge.rabbitmq.confirm-timeout-ms";

    public static RabbitMqSettings from(Settings settings) {
        return new RabbitMqSettings(
                settings.text("rabbitmq.host"),
                settings.port("rabbitmq.port"),
                settings.text("rabbitmq.username"),
                settings.text("rabbitmq.password"),
                settings.text("rabbitmq.vhost", "/"),
                Boolean.parseBoolean(settings.oneOf("bridge.rabbitmq.ssl.enabled", "true", "false")),
                settings.text("bridge.rabbitmq.ssl.truststore", null),
                settings.text("bridge.rabbitmq.ssl.truststore-password", null));
    }

    /**
     * How long a publisher waits for RabbitMQ's confirms ({@code bridge.rabbitmq.confirm-timeout-ms}), for every
     * publisher of the application: the routes, the dead-letter route and replay, the send command.
     */
    public static int confirmTimeoutMillis(Settings settings) {
        return settings.integer(CONFIRM_TIMEOUT_KEY, 1, 3_600_000);
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
        if (tls) {
            factory.useSslProtocol(sslContext());
            // the certificate must name the host we connect to, as a browser would check
            factory.enableHostnameVerification();
        }
        return factory;
    }

    /** Trusts the certificates in the truststore, or the JVM's own trusted authorities when none is given. */
    private SSLContext sslContext() {
        try {
            KeyStore trusted = null;
            if (truststore != null) {
                trusted = KeyStore.getInstance(KeyStore.getDefaultType());
                try (InputStream in = Files.newInputStream(Path.of(truststore))) {
                    trusted.load(in, truststorePassword == null ? null : truststorePassword.toCharArray());
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidSettingException("bridge.rabbitmq.ssl.truststore", truststore, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "RabbitMqSettings[" + username + "@" + address() + virtualHost + (tls ? ", TLS" : "") + ", password=****]";
    }
}
