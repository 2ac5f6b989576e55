package io.messagebridge.torabbitmq;

import io.messagebridge.outputs.OutgoingRabbitMessage;
import org.apache.camel.Message;

/** One message ready for RabbitMQ, and the record it was made from (for dead-lettering it if it is returned). */
public record OutgoingAmqpMessage(OutgoingRabbitMessage message, Message source) {
}
