package io.messagebridge.rabbitmq;

import java.util.Map;

import io.messagebridge.errors.DeadLetterHeaders;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * A replay sends a RabbitMQ dead letter straight to its source queue, through the default exchange (publishing to
 * the exchange it first came through would reach every queue bound there), with that exchange and routing key in
 * {@value DeadLetterHeaders#REPLAY_EXCHANGE} and {@value DeadLetterHeaders#REPLAY_ROUTING_KEY}. Here they become the
 * delivery's exchange and routing key again, so the route and the Kafka record say where the message came from.
 * <p>
 * They are believed only on a delivery that came the way a replay sends it, through the default exchange to the
 * consumer's own queue: a publisher going through an exchange cannot claim another origin. (Whoever may publish to
 * the default exchange can; RabbitMQ's write permission on {@code amq.default} decides who that is.) The headers are
 * removed from every delivery, in any case of their names, so they never reach a route or Kafka.
 */
public final class ReplayedDeliveries {

    private static final String PREFIX = DeadLetterHeaders.REPLAY_PREFIX;

    private ReplayedDeliveries() {
    }

    static void restoreOrigin(Message delivery) {
        MessageProperties properties = delivery.getMessageProperties();
        Map<String, Object> headers = properties.getHeaders();
        Object exchange = headers.get(DeadLetterHeaders.REPLAY_EXCHANGE);
        Object routingKey = headers.get(DeadLetterHeaders.REPLAY_ROUTING_KEY);
        headers.keySet().removeIf(name -> name.regionMatches(true, 0, PREFIX, 0, PREFIX.length()));
        if (exchange != null && routingKey != null && "".equals(properties.getReceivedExchange())
                && properties.getConsumerQueue() != null
                && properties.getConsumerQueue().equals(properties.getReceivedRoutingKey())) {
            properties.setReceivedExchange(exchange.toString());
            properties.setReceivedRoutingKey(routingKey.toString());
        }
    }
}
