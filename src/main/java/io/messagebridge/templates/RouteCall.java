package io.messagebridge.templates;

import java.util.List;

import io.messagebridge.core.ContextAwareService;
import io.messagebridge.outputs.BatchOutputs;
import io.messagebridge.outputs.RecordOutputs;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

/**
 * Hands each input of a batch, in order, to a route of the integrator's, and then waits once until everything those
 * route runs sent is confirmed ({@link BatchOutputs}): their {@code kafka:} and {@code spring-rabbitmq:} sends do not
 * wait one by one. Each input gets an exchange of its own (with the batch's origin, and its position in the batch as
 * {@code CamelSplitIndex}) carrying a copy of its message, so the batch's own inputs stay as they arrived.
 * <p>
 * An input whose route failed ends the batch's pass: the inputs after it are not called, and the step fails. The
 * source route's error handler then runs the step again (with back-off, {@code bridge.redelivery.<source route
 * id>.*}) from the first input that has not reached its destinations ({@link BatchOutputs#settled}), and when its
 * retries run out the batch goes back to its source. The route must finish on the calling thread, as a batch commits
 * or acks on its consumer's thread.
 */
public final class RouteCall extends ContextAwareService implements Processor {

    private final String uri;
    private final Expression inputs;
    private ProducerTemplate producer;
    /** Resolved once: resolving a URI normalizes it, which cost 4% of a filter route's thread when done per input. */
    private Endpoint route;

    /** @param inputs the batch's inputs, a list of messages */
    public RouteCall(String uri, Expression inputs) {
        this.uri = uri;
        this.inputs = inputs;
    }

    @Override
    public void process(Exchange batch) throws Exception {
        BatchOutputs outputs = BatchOutputs.open(batch);
        List<?> messages = inputs.evaluate(batch, List.class);
        for (int index = outputs.settled(); index < messages.size(); index++) {
            Message original = (Message) messages.get(index);
            Exchange input = new DefaultExchange(batch.getContext(), batch.getPattern());
            input.getExchangeExtension().setFromEndpoint(batch.getFromEndpoint());
            input.getExchangeExtension().setFromRouteId(batch.getFromRouteId());
            input.setProperty(ExchangePropertyKey.SPLIT_INDEX, index);
            input.setProperty(ExchangePropertyKey.SPLIT_SIZE, messages.size());
            input.setIn(original.copy());
            RecordOutputs record = outputs.startRecord(input, original);
            producer.send(route, input);
            if (!outputs.finishRecord(record, input)) {
                break;
            }
        }
        outputs.deliver(batch);
    }

    @Override
    protected void doStart() {
        route = getCamelContext().getEndpoint(uri);
        producer = getCamelContext().createProducerTemplate();
        producer.start();
    }

    @Override
    protected void doStop() {
        if (producer != null) {
            producer.stop();
        }
    }
}
