package io.messagebridge.outputs;

import java.io.IOException;
import java.util.Map;

import com.rabbitmq.client.AMQP;

/**
 * One message for RabbitMQ, and the exchange to declare before it is first published on a channel (null: none,
 * the exchange must exist).
 */
public record OutgoingRabbitMessage(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
                                    ExchangeDeclaration declaration) {

    public void publishOn(ConfirmChannel channel) throws IOException {
        if (declaration != null) {
            channel.declareExchange(exchange, declaration.type(), declaration.durable(), declaration.autoDelete(),
                    declaration.arguments());
        }
        channel.publish(exchange, routingKey, properties, body);
    }

    /** How to declare an exchange: a producer declares exchanges only, never a queue. */
    public record ExchangeDeclaration(String type, boolean durable, boolean autoDelete, Map<String, Object> arguments) {

        public static final ExchangeDeclaration DURABLE_TOPIC = new ExchangeDeclaration("topic", true, false, null);
    }
}
