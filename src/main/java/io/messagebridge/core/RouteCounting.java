package io.messagebridge.core;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * Counts what Camel's events cannot tell about a route: a dead letter written, a duplicate dropped. The management
 * package implements it as a context service; a step finds it with {@link #of}, and in a context without management
 * (a route unit test, the validate command) counts nothing. Either way the exchange is marked
 * {@link BridgeProperties#NOT_FORWARDED}, so it never counts as delivered.
 */
public interface RouteCounting {

    RouteCounting NONE = new RouteCounting() {
        @Override
        public void deadLettered(Exchange deadLetter) {
        }

        @Override
        public void duplicateDropped(Exchange duplicate) {
        }
    };

    /** In the dead-letter route, once the dead letter is written: counts it for the route it came from. */
    void deadLettered(Exchange deadLetter);

    /** When deduplication drops a message. */
    void duplicateDropped(Exchange duplicate);

    static RouteCounting of(CamelContext context) {
        RouteCounting counting = context.hasService(RouteCounting.class);
        return counting != null ? counting : NONE;
    }

    /** For {@code process(...)} in the dead-letter route. */
    static void countDeadLetter(Exchange deadLetter) {
        deadLetter.setProperty(BridgeProperties.NOT_FORWARDED, true);
        of(deadLetter.getContext()).deadLettered(deadLetter);
    }

    static void countDuplicate(Exchange duplicate) {
        duplicate.setProperty(BridgeProperties.NOT_FORWARDED, true);
        of(duplicate.getContext()).duplicateDropped(duplicate);
    }
}
