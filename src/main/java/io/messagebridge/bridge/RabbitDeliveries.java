package io.messagebridge.bridge;

import java.util.List;

import org.springframework.amqp.core.Message;

/**
 * The body of an exchange from a {@value RabbitDeliveryBatches#SCHEME} consumer: deliveries of one channel, in the
 * order RabbitMQ sent them.
 */
public record RabbitDeliveries(List<Message> messages) {

    public long[] tags() {
        long[] tags = new long[messages.size()];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = messages.get(i).getMessageProperties().getDeliveryTag();
        }
        return tags;
    }
}
