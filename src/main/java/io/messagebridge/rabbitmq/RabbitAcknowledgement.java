package io.messagebridge.rabbitmq;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

import com.rabbitmq.client.Channel;
import io.messagebridge.core.BatchOutcome;
import io.messagebridge.core.BridgeProperties;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges a RabbitMQ delivery only when its exchange is complete: after the destination confirmed it, or after
 * the error handler dead-lettered it. A failed exchange is returned to the queue instead. An exchange that carries a
 * batch of deliveries ({@link RabbitDeliveries}) settles all of them so.
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
 * delivery that takes long, such as one waiting for a retry, holds back only that: once half the consumer's prefetch
 * is complete behind it, those are acked one by one, so the prefetch window never fills up with finished messages.
 * The batch is at most an eighth of the prefetch, whatever {@code bridge.rabbitmq.ack-batch} says.
 * <p>
 * It must be the route's first step: a multiple-ack settles every earlier delivery of the channel, so a delivery
 * that never reached this step would be acked unseen.
 */
public final class RabbitAcknowledgement implements Processor {

    /** The name it is bound under: templates and YAML routes use {@code - process: { ref: rabbitAcknowledgement }}. */
    public static final String BEAN = "rabbitAcknowledgement";
    private static final Logger LOG = LoggerFactory.getLogger(RabbitAcknowledgement.class);
    /** Routes (by id) whose new deliveries are held, see {@link #hold(String)}. */
    private static final Set<String> HOLDING = ConcurrentHashMap.newKeySet();
    /** Per route: deliveries taken from RabbitMQ and not yet acked or requeued. */
    private static final Map<String, AtomicInteger> UNSETTLED = new ConcurrentHashMap<>();
    /** Every channel's window while the channel is open; a new channel (after a reconnect) starts its tags from 1. */
    private static final Map<Channel, AckWindow> WINDOWS = new ConcurrentHashMap<>();

    private final int batch;

    /** @param batch complete deliveries to settle with one ack (1 acks each delivery on its own) */
    public RabbitAcknowledgement(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("the ack batch must be at least 1, not " + batch);
        }
        this.batch = batch;
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

    /** Ends {@link #hold}; what was held on a channel that is still open goes back to the queue now. */
    public static void release(String routeId) {
        HOLDING.remove(routeId);
        WINDOWS.values().stream().filter(window -> window.routeId.equals(routeId)).forEach(AckWindow::requeueHeld);
    }

    /**
     * Deliveries of the route not yet acked or requeued, held ones excepted. The route's in-flight count reaches 0
     * before the last exchange's acks are sent (they are sent as it completes), so a stop waits for this as well.
     */
    public static int unsettled(String routeId) {
        AtomicInteger count = UNSETTLED.get(routeId);
        return count == null ? 0 : count.get();
    }

    @Override
    public void process(Exchange exchange) {
        Channel channel = exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class);
        long[] tags = deliveryTags(exchange);
        if (channel == null || tags == null) {
            throw new IllegalStateException("RabbitAcknowledgement needs a spring-rabbitmq consumer with acknowledgeMode=MANUAL");
        }
        String routeId = exchange.getFromRouteId();
        AckWindow window = windowOf(channel, routeId, exchange);
        if (HOLDING.contains(routeId)) {
            window.held(tags);
            exchange.setProperty(BridgeProperties.FORWARDED, 0);
            exchange.setRouteStop(true);
            return;
        }
        window.delivered(tags);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                BatchOutcome outcome = done.getProperty(BridgeProperties.BATCH_OUTCOME, BatchOutcome.class);
                Set<Long> missed = outcome == null ? Set.of() : outcome.missed();
                if (missed.isEmpty()) {
                    window.completed(tags);
                } else {
                    settle(window, tags, tag -> !missed.contains(tag));
                }
            }

            @Override
            public void onFailure(Exchange failed) {
                BatchOutcome outcome = failed.getProperty(BridgeProperties.BATCH_OUTCOME, BatchOutcome.class);
                Set<Long> reached = outcome == null ? Set.of() : outcome.reached();
                settle(window, tags, reached::contains);
            }
        });
    }

    /** Acks the deliveries that are done with, requeues the others. */
    private static void settle(AckWindow window, long[] tags, LongPredicate done) {
        window.completed(Arrays.stream(tags).filter(done).toArray());
        window.failed(Arrays.stream(tags).filter(done.negate()).toArray());
    }

    /** The delivery the exchange carries, or all of them for a batch ({@link RabbitDeliveries}). */
    private static long[] deliveryTags(Exchange exchange) {
        if (exchange.getMessage().getBody() instanceof RabbitDeliveries deliveries) {
            return deliveries.tags();
        }
        Long tag = exchange.getMessage().getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class);
        return tag == null ? null : new long[] {tag};
    }

    private AckWindow windowOf(Channel channel, String routeId, Exchange exchange) {
        AckWindow open = WINDOWS.get(channel);
        // one consumer thread per channel: nobody else opens this window meanwhile
        return open != null ? open : open(channel, routeId, exchange);
    }

    private AckWindow open(Channel channel, String routeId, Exchange exchange) {
        int prefetch = exchange.getFromEndpoint() instanceof SpringRabbitMQEndpoint endpoint
                && endpoint.getPrefetchCount() > 0 ? endpoint.getPrefetchCount() : 8 * batch;
        AckWindow window = new AckWindow(new ChannelSettlement(channel), routeId,
                Math.max(1, Math.min(batch, prefetch / 8)), Math.max(1, prefetch / 2),
                UNSETTLED.computeIfAbsent(routeId, id -> new AtomicInteger()));
        WINDOWS.put(channel, window);
        // the broker requeues what a closed channel did not ack: the window has nothing left to settle
        channel.addShutdownListener(cause -> {
            WINDOWS.remove(channel);
            window.closed();
        });
        return window;
    }

    /**
     * The deliveries of one channel still in the route ({@code inFlight}), those complete but not yet acked
     * ({@code complete}) and those held by a stop ({@code held}, also in {@code inFlight} so that no multiple-ack
     * passes them). A multiple-ack names a complete tag below the oldest one in flight, never a requeued one.
     */
    static final class AckWindow {
        private final Settlement channel;
        private final String routeId;
        private final int batch;
        private final int heldBackLimit;
        private final AtomicInteger unsettled;
        private final NavigableSet<Long> inFlight = new TreeSet<>();
        private final NavigableSet<Long> complete = new TreeSet<>();
        private final List<Long> held = new ArrayList<>();
        private boolean closed;

        AckWindow(Settlement channel, String routeId, int batch, int heldBackLimit, AtomicInteger unsettled) {
            this.channel = channel;
            this.routeId = routeId;
            this.batch = batch;
            this.heldBackLimit = heldBackLimit;
            this.unsettled = unsettled;
        }

        synchronized void delivered(long... tags) {
            for (long tag : tags) {
                inFlight.add(tag);
            }
            unsettled.addAndGet(tags.length);
        }

        synchronized void held(long... tags) {
            for (long tag : tags) {
                inFlight.add(tag);
                held.add(tag);
            }
        }

        synchronized void completed(long... tags) {
            if (closed) {
                return;
            }
            for (long tag : tags) {
                inFlight.remove(tag);
                complete.add(tag);
            }
            settle();
        }

        synchronized void failed(long... tags) {
            if (closed) {
                return;
            }
            for (long tag : tags) {
                inFlight.remove(tag);
                channel.requeue(tag);
            }
            unsettled.addAndGet(-tags.length);
            settle();
        }

        /** Nothing of a closed channel is unsettled any more: RabbitMQ has put it all back. */
        synchronized void closed() {
            closed = true;
            unsettled.addAndGet(-(complete.size() + inFlight.size() - held.size()));
            complete.clear();
            inFlight.clear();
            held.clear();
        }

        synchronized void requeueHeld() {
            held.forEach(tag -> {
                inFlight.remove(tag);
                channel.requeue(tag);
            });
            held.clear();
            settle();
        }

        private void settle() {
            NavigableSet<Long> ackable = inFlight.isEmpty() ? complete : complete.headSet(inFlight.first(), false);
            // nothing on its way any more (held deliveries go nowhere): ack what is done without waiting for a batch
            boolean idle = inFlight.size() == held.size();
            if (!ackable.isEmpty() && (idle || ackable.size() >= batch)) {
                long upTo = ackable.last();
                unsettled.addAndGet(-ackable.size());
                ackable.clear();
                channel.ack(upTo, true);
            }
            if (complete.size() >= heldBackLimit) {
                // held back by a slow delivery: ack these one by one so that they leave the prefetch window
                List<Long> heldBack = new ArrayList<>(complete);
                complete.clear();
                unsettled.addAndGet(-heldBack.size());
                heldBack.forEach(tag -> channel.ack(tag, false));
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
