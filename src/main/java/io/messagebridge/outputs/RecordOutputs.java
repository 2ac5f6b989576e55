package io.messagebridge.outputs;

import java.util.ArrayList;
import java.util.List;

import io.messagebridge.core.BridgeHeaders;
import io.messagebridge.core.BridgeProperties;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;

/**
 * What one input of a batch (a Kafka record, a RabbitMQ delivery) was turned into by the route that handled it: the
 * sends it made, each given the id {@code <input id>-<n>} (n counts the input's sends from 0, so a redelivered input
 * gives its outputs the same ids again), and how the route finished with it. The {@code kafka:} and
 * {@code spring-rabbitmq:} producers find it on the exchange ({@link #of}) and add their sends to its batch instead of
 * waiting for each.
 */
public final class RecordOutputs {

    /** How the route finished with the input. */
    enum State { CALLED, HANDLED, DEAD_LETTERED, FAILED }

    private final BatchOutputs batch;
    private final Message original;
    private final String inputId;
    private final List<BatchOutputs.Output> outputs = new ArrayList<>();
    private int sends;
    private State state = State.CALLED;
    /** Set when a send was refused for good: the input is dead-lettered with this reason once the batch is delivered. */
    private Exception refusal;
    private String refusingRoute;

    RecordOutputs(BatchOutputs batch, Message original) {
        this.batch = batch;
        this.original = original;
        this.inputId = BridgeHeaders.sourceMessageId(original);
    }

    /** The outputs of the input this exchange (or one split or copied from it) carries; null outside a batch. */
    public static RecordOutputs of(Exchange exchange) {
        return exchange.getProperty(BridgeProperties.RECORD_OUTPUTS, RecordOutputs.class);
    }

    /** A send made outside the batch from here on (dead letters are written on their own, and waited for). */
    public static void leave(Exchange exchange) {
        exchange.removeProperty(BridgeProperties.RECORD_OUTPUTS);
    }

    /** The id the input arrived with: its AMQP message-id, its Kafka message-id header or topic-partition@offset. */
    public String inputId() {
        return inputId;
    }

    /**
     * The id of the input's next output, given the id it carries now: the input's own id, inherited, gives way to
     * {@code <input id>-<n>}; an id the route chose stays (and so does none, for an input without an id).
     */
    synchronized String nextOutputId(String carried) {
        int n = sends++;
        if (inputId == null || carried != null && !carried.equals(inputId)) {
            return carried;
        }
        return inputId + "-" + n;
    }

    public BatchOutputs batch() {
        return batch;
    }

    Message original() {
        return original;
    }

    synchronized void added(BatchOutputs.Output output) {
        outputs.add(output);
    }

    synchronized void removed(BatchOutputs.Output output) {
        outputs.remove(output);
    }

    /** After the route returned: failed (it stops the batch), dead-lettered by the route, or handled. */
    void finished(Exchange exchange) {
        if (exchange.getException() != null) {
            state = State.FAILED;
        } else if (exchange.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID) != null) {
            state = State.DEAD_LETTERED;
        } else {
            state = State.HANDLED;
        }
    }

    State state() {
        return state;
    }

    /** Dead-lettered by the route, or handled with every output confirmed: the input has reached its destinations. */
    boolean reached() {
        if (state == State.DEAD_LETTERED) {
            return true;
        }
        if (state != State.HANDLED || refusal != null) {
            return false;
        }
        synchronized (this) {
            return outputs.stream().allMatch(BatchOutputs.Output::acknowledged);
        }
    }

    void refused(Exception reason, String routeId) {
        if (refusal == null) {
            refusal = reason;
            refusingRoute = routeId;
        }
    }

    String refusingRoute() {
        return refusingRoute;
    }

    Exception refusal() {
        return refusal;
    }
}
