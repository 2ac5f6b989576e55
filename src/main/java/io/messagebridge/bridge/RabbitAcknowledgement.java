package io.messagebridge.bridge;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.Channel;
import io.messagebridge.management.BridgeRoutes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges a RabbitMQ delivery only when its exchange is complete: after the destination confirmed it, or after
 * the error handler dead-lettered it. A failed exchange is returned to the queue instead.
 * <p>
 * The consumer runs with {@code acknowledgeMode=MANUAL} and {@code asyncConsumer=true}: the listener thread hands
 * each message to the route and takes the next one, so up to {@code prefetchCount} messages are in flight at once,
 * and none of them is acknowledged before its destination has it. (Camel 4.17's async consumer on its own would let
 * Spring acknowledge on hand-off and drop async failures, CAMEL-24069.)
 */
public final class RabbitAcknowledgement implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitAcknowledgement.class);
    /** Routes (by id) whose new deliveries are held, see {@link #hold(String)}. */
    private static final Set<String> HOLDING = ConcurrentHashMap.newKeySet();

    /**
     * From now on, deliveries that reach this step on the route are neither processed nor acked: they stay unacked
     * on the channel, and RabbitMQ puts them back in the queue when the consumer closes it. This lets the messages
     * already in flight finish and be acked on a channel that is still open, before a pause or a shutdown closes it
     * (closing it with acks outstanding would requeue messages the destination already has: duplicates).
     */
    public static void hold(String routeId) {
        HOLDING.add(routeId);
    }

    public static void release(String routeId) {
        HOLDING.remove(routeId);
    }

    @Override
    public void process(Exchange exchange) {
        if (HOLDING.contains(exchange.getFromRouteId())) {
            exchange.setProperty(BridgeRoutes.FORWARDED, 0);
            exchange.setRouteStop(true);
            return;
        }
        Channel channel = exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class);
        Long deliveryTag = exchange.getMessage().getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class);
        if (channel == null || deliveryTag == null) {
            throw new IllegalStateException("RabbitAcknowledgement needs a spring-rabbitmq consumer with acknowledgeMode=MANUAL");
        }
        exchange.getExchangeExtension().addOnCompletion(new Acknowledge(channel, deliveryTag));
    }

    private static final class Acknowledge extends SynchronizationAdapter {
        private final Channel channel;
        private final long deliveryTag;

        Acknowledge(Channel channel, long deliveryTag) {
            this.channel = channel;
            this.deliveryTag = deliveryTag;
        }

        @Override
        public void onComplete(Exchange exchange) {
            try {
                channel.basicAck(deliveryTag, false);
            } catch (IOException | RuntimeException e) {
                // The channel is gone, so the broker has already put the message back: it is redelivered, not lost.
                LOG.debug("Could not ack delivery {} ({}); RabbitMQ will redeliver it", deliveryTag, e.getMessage());
            }
        }

        @Override
        public void onFailure(Exchange exchange) {
            try {
                channel.basicNack(deliveryTag, false, true);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not requeue delivery {} ({}); RabbitMQ will redeliver it", deliveryTag, e.getMessage());
            }
        }
    }
}
