package io.messagebridge.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.Channel;
import io.messagebridge.management.BridgeRoutes;
import org.apache.camel.CamelContext;
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
 * <p>
 * Acks are coalesced per channel: once every delivery up to a tag is complete, one {@code basic.ack multiple=true}
 * settles them all, {@code batch} at a time or as soon as nothing else is in flight. That spares RabbitMQ (which
 * shares the machine's cores with everything else) most of its per-message ack work. Kafka acknowledges the records
 * of different partitions out of order, so a delivery may briefly hold back the multiple-ack of later ones; a
 * delivery that takes long, such as one waiting for a retry, holds back only that: once four batches of later
 * deliveries are complete they are acked one by one, so the prefetch window never fills up with finished messages.
 */
public final class RabbitAcknowledgement implements Processor {

    /** The name it is bound under, for YAML routes: {@code - process: { ref: rabbitAcknowledgement }}. */
    public static final String BEAN = "rabbitAcknowledgement";
    private static final Logger LOG = LoggerFactory.getLogger(RabbitAcknowledgement.class);
    private static final int HELD_BACK_BATCHES = 4;
    /** Routes (by id) whose new deliveries are held, see {@link #hold(String)}. */
    private static final Set<String> HOLDING = ConcurrentHashMap.newKeySet();

    private final int batch;
    // a channel's deliveries are tracked while it lives; a new channel (after a reconnect) starts its tags from 1
    private final Map<Channel, AckWindow> channels = Collections.synchronizedMap(new WeakHashMap<>());

    /** @param batch complete deliveries to settle with one ack (1 acks each delivery on its own) */
    public RabbitAcknowledgement(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("the ack batch must be at least 1, not " + batch);
        }
        this.batch = batch;
    }

    /** The one bound in the registry, configured by {@code bridge.rabbitmq.ack-batch}. */
    public static RabbitAcknowledgement from(CamelContext context) {
        return context.getRegistry().lookupByNameAndType(BEAN, RabbitAcknowledgement.class);
    }

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
        AckWindow acks = channels.computeIfAbsent(channel, c -> new AckWindow(new ChannelSettlement(c), batch));
        acks.delivered(deliveryTag);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                acks.completed(deliveryTag);
            }

            @Override
            public void onFailure(Exchange failed) {
                acks.failed(deliveryTag);
            }
        });
    }

    /**
     * The deliveries of one channel still in the route ({@code inFlight}) and those complete but not yet acked
     * ({@code complete}). A multiple-ack names a complete tag below the oldest one in flight, never a requeued one.
     */
    static final class AckWindow {
        private final Settlement channel;
        private final int batch;
        private final NavigableSet<Long> inFlight = new TreeSet<>();
        private final NavigableSet<Long> complete = new TreeSet<>();

        AckWindow(Settlement channel, int batch) {
            this.channel = channel;
            this.batch = batch;
        }

        synchronized void delivered(long tag) {
            inFlight.add(tag);
        }

        synchronized void completed(long tag) {
            inFlight.remove(tag);
            complete.add(tag);
            settle();
        }

        synchronized void failed(long tag) {
            inFlight.remove(tag);
            channel.requeue(tag);
            settle();
        }

        private void settle() {
            NavigableSet<Long> ackable = inFlight.isEmpty() ? complete : complete.headSet(inFlight.first(), false);
            if (!ackable.isEmpty() && (inFlight.isEmpty() || ackable.size() >= batch)) {
                long upTo = ackable.last();
                ackable.clear();
                channel.ack(upTo, true);
            }
            if (complete.size() >= HELD_BACK_BATCHES * batch) {
                // held back by a slow delivery: ack these one by one so that they leave the prefetch window
                List<Long> held = new ArrayList<>(complete);
                complete.clear();
                held.forEach(tag -> channel.ack(tag, false));
            }
        }
    }

    /** What the window does to a channel. */
    interface Settlement {
        void ack(long tag, boolean multiple);

        void requeue(long tag);
    }

    /** A closed channel needs nothing: the broker has already put its unacked messages back, to be redelivered. */
    private record ChannelSettlement(Channel channel) implements Settlement {
        @Override
        public void ack(long tag, boolean multiple) {
            try {
                channel.basicAck(tag, multiple);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not ack delivery {} ({}); RabbitMQ will redeliver it", tag, e.getMessage());
            }
        }

        @Override
        public void requeue(long tag) {
            try {
                channel.basicNack(tag, false, true);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not requeue delivery {} ({}); RabbitMQ will redeliver it", tag, e.getMessage());
            }
        }
    }
}
