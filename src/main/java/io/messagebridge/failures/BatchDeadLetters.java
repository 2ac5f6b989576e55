package io.messagebridge.failures;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import io.messagebridge.core.BridgeProperties;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * Messages of a batch exchange that go to the dead-letter route, each with its reason, while the rest of the batch
 * goes to its destination: one bad message must not fail (and redeliver) a whole batch. The step {@link #send} writes
 * them; a dead letter that cannot be written fails the batch, so that the message stays at its source.
 */
public final class BatchDeadLetters {

    private BatchDeadLetters() {
    }

    /**
     * One message of the batch failed: a permanent failure sets it aside as a dead letter (made from
     * {@code original} only then), anything else fails the batch.
     */
    public static void setAside(Exchange batch, Supplier<Message> original, RuntimeException failure) {
        if (!PermanentFailures.isPermanent(failure)) {
            throw failure;
        }
        add(batch, original.get(), failure);
    }

    /** {@code original} is the message as it arrived, the one the dead letter carries. */
    public static void add(Exchange batch, Message original, Exception reason) {
        add(batch, original, reason, null);
    }

    /** The same, failed in route {@code routeId} (a route the batch's route called) rather than the batch's own. */
    public static void add(Exchange batch, Message original, Exception reason, String routeId) {
        @SuppressWarnings("unchecked")
        List<DeadLetter> deadLetters = batch.getProperty(BridgeProperties.BATCH_DEAD_LETTERS, List.class);
        if (deadLetters == null) {
            deadLetters = new ArrayList<>();
            batch.setProperty(BridgeProperties.BATCH_DEAD_LETTERS, deadLetters);
        }
        deadLetters.add(new DeadLetter(original, reason, routeId != null ? routeId : batch.getFromRouteId()));
    }

    /**
     * The step that sends them, after the batch was delivered: a separate step, so that retrying a failed dead-letter
     * write does not deliver the whole batch again. Each one written is forgotten, so a retry writes only the rest.
     */
    public static Processor send(String deadLetterUri) {
        return batch -> {
            @SuppressWarnings("unchecked")
            List<DeadLetter> deadLetters = batch.getProperty(BridgeProperties.BATCH_DEAD_LETTERS, List.class);
            if (deadLetters == null || deadLetters.isEmpty()) {
                return;
            }
            // rare (a bad message, a missing binding), so no producer is kept for it
            try (ProducerTemplate producer = batch.getContext().createProducerTemplate()) {
                for (Iterator<DeadLetter> it = deadLetters.iterator(); it.hasNext(); ) {
                    write(producer, deadLetterUri, batch, it.next());
                    it.remove();
                }
            }
        };
    }

    private static void write(ProducerTemplate producer, String deadLetterUri, Exchange batch, DeadLetter deadLetter) {
        Exchange exchange = batch.copy();
        exchange.setIn(deadLetter.original().copy());
        exchange.setProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, deadLetter.reason());
        exchange.setProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, deadLetter.routeId());
        producer.send(deadLetterUri, exchange);
        if (exchange.getException() != null) {
            throw new IllegalStateException("could not write a dead letter", exchange.getException());
        }
    }

    private record DeadLetter(Message original, Exception reason, String routeId) {
    }
}
