package io.messagebridge.bridge;

import com.rabbitmq.client.AMQP;
import org.apache.camel.Message;

/** One message ready for RabbitMQ, and the message it was made from (for dead-lettering it if it is returned). */
public record OutgoingAmqpMessage(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
                                  Message source) {
}
