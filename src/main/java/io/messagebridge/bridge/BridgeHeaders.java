package io.messagebridge.bridge;

/**
 * Names of the headers the bridge writes on the other side. AMQP properties travel to Kafka as plain string headers
 * under these names, and the same names are read back when a Kafka record becomes an AMQP message.
 */
public final class BridgeHeaders {

    public static final String MESSAGE_ID = "message-id";
    public static final String CORRELATION_ID = "correlation-id";
    public static final String CONTENT_TYPE = "content-type";
    /** Milliseconds since the epoch, as a decimal string. */
    public static final String TIMESTAMP = "timestamp";
    public static final String RABBITMQ_EXCHANGE = "rabbitmq-exchange";
    public static final String RABBITMQ_ROUTING_KEY = "rabbitmq-routing-key";

    private BridgeHeaders() {
    }
}
