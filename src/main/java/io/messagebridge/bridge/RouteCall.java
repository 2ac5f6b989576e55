package io.messagebridge.bridge;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Hands an exchange to another route and waits until that route has finished with it, even if it completes on
 * another thread (camel-kafka producers do). A Kafka batch route must commit or rewind on its consumer's own thread,
 * so the route it calls must not finish the batch elsewhere. A failure stays on the exchange.
 */
public final class RouteCall extends ServiceSupport implements Processor, CamelContextAware {

    private final String uri;
    private CamelContext camelContext;
    private ProducerTemplate producer;

    public RouteCall(String uri) {
        this.uri = uri;
    }

    @Override
    public void process(Exchange exchange) {
        producer.send(uri, exchange);
        // a "stop" in the called route ends this record only, never the rest of the batch
        exchange.setRouteStop(false);
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
