package io.messagebridge.bridge;

import java.util.concurrent.atomic.AtomicInteger;

import io.messagebridge.management.BridgeRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Hands an exchange to another route and waits until that route has finished with it, even if it completes on
 * another thread (camel-kafka producers do). A Kafka batch route must commit or rewind on its consumer's own thread,
 * so the route it calls must not finish the batch elsewhere. A failure stays on the exchange.
 */
public final class RouteCall extends ServiceSupport implements Processor, CamelContextAware {

    // the split's records share their batch's properties, so they can count for it
    private static final String HANDLED = "bridge.recordsHandled";

    private final String uri;
    private CamelContext camelContext;
    private ProducerTemplate producer;

    public RouteCall(String uri) {
        this.uri = uri;
    }

    /** Before the batch's records are called: counts those the called route finished without a failure. */
    public static void openBatch(Exchange batch) {
        batch.setProperty(HANDLED, new AtomicInteger());
    }

    /** After: the batch counts as that many messages forwarded (the bridge MBean), dead letters excepted. */
    public static void closeBatch(Exchange batch) {
        batch.setProperty(BridgeRoutes.FORWARDED, batch.getProperty(HANDLED, AtomicInteger.class).get());
    }

    @Override
    public void process(Exchange exchange) {
        producer.send(uri, exchange);
        // a "stop" in the called route ends this record only, never the rest of the batch
        exchange.setRouteStop(false);
        AtomicInteger handled = exchange.getProperty(HANDLED, AtomicInteger.class);
        if (handled != null && exchange.getException() == null
                && exchange.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID) == null) {
            handled.incrementAndGet();
        }
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    protected void doStart() {
        producer = camelContext.createProducerTemplate();
        producer.start();
    }

    @Override
    protected void doStop() {
        if (producer != null) {
            producer.stop();
        }
    }
}
