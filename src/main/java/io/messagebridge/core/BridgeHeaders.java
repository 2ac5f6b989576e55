package io.messagebridge.core;

import java.nio.charset.StandardCharsets;
import java.util.Date;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

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

    /**
     * The id a message arrived with: its AMQP message-id, or the {@value #MESSAGE_ID} header of a Kafka record, else
     * where the record is ({@code topic-partition@offset}); null for a RabbitMQ message without an id.
     */
    public static String sourceMessageId(Message message) {
        String amqpId = message.getHeader(SpringRabbitMQConstants.MESSAGE_ID, String.class);
        if (amqpId != null || message.getHeader(KafkaConstants.TOPIC) == null) {
            return amqpId;
        }
        Object id = message.getHeader(MESSAGE_ID);
        return id instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : id != null ? id.toString()
                : message.getHeader(KafkaConstants.TOPIC) + "-" + message.getHeader(KafkaConstants.PARTITION) + "@"
                        + message.getHeader(KafkaConstants.OFFSET);
    }

    /**
     * Whether a header is Camel's or camel-kafka's own ({@code Camel*}, {@code org.apache.camel.*}, {@code kafka.*}),
     * which never crosses to the other broker: on the way out such names would steer the producer (camel-kafka reads
     * {@code kafka.OVERRIDE_TOPIC}, {@code kafka.KEY}). Case does not matter, as it does not to Camel's header map.
     */
    public static boolean isInternal(String name) {
        return startsWithIgnoringCase(name, "camel") || startsWithIgnoringCase(name, "org.apache.camel.")
                || startsWithIgnoringCase(name, "kafka.");
    }

    private static boolean startsWithIgnoringCase(String name, String prefix) {
        return name.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** A header value as text: an AMQP timestamp as milliseconds, Kafka's bytes as UTF-8. */
    public static String asText(Object value) {
        if (value instanceof Date date) {
            return Long.toString(date.getTime());
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value.toString();
    }
}
