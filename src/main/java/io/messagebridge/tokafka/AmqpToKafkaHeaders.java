package io.messagebridge.tokafka;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import io.messagebridge.core.BridgeHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.amqp.core.MessageProperties;

/**
 * Turns a RabbitMQ message's AMQP properties and headers into Kafka record headers. Kafka only carries a few value
 * types and camel-kafka silently skips the others, so every value becomes a string.
 */
public final class AmqpToKafkaHeaders implements Processor {

    private static final Map<String, String> PROPERTIES = Map.of(
            SpringRabbitMQConstants.MESSAGE_ID, BridgeHeaders.MESSAGE_ID,
            SpringRabbitMQConstants.CORRELATION_ID, BridgeHeaders.CORRELATION_ID,
            SpringRabbitMQConstants.CONTENT_TYPE, BridgeHeaders.CONTENT_TYPE,
            SpringRabbitMQConstants.TIMESTAMP, BridgeHeaders.TIMESTAMP,
            SpringRabbitMQConstants.EXCHANGE_NAME, BridgeHeaders.RABBITMQ_EXCHANGE,
            SpringRabbitMQConstants.ROUTING_KEY, BridgeHeaders.RABBITMQ_ROUTING_KEY);

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<String, Object> mapped = kafkaHeaders(message.getHeaders());
        // Camel's own headers stay for the route (camel-kafka does not send them); the AMQP ones are replaced.
        message.removeHeaders("*", "Camel*");
        message.getHeaders().putAll(mapped);
    }

    /**
     * The Kafka headers for a message with these (spring-rabbitmq consumer's) Camel headers. A header made from an
     * AMQP property replaces an AMQP header of the same name, in any case: the property is the message's own.
     */
    static Map<String, Object> kafkaHeaders(Map<String, Object> amqpHeaders) {
        Map<String, Object> mapped = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        amqpHeaders.forEach((name, value) -> {
            if (value != null && !PROPERTIES.containsKey(name) && isCarried(name)) {
                mapped.put(name, BridgeHeaders.asText(value));
            }
        });
        PROPERTIES.forEach((property, kafkaName) -> {
            Object value = amqpHeaders.get(property);
            if (value != null) {
                mapped.remove(kafkaName);
                mapped.put(kafkaName, BridgeHeaders.asText(value));
            }
        });
        return mapped;
    }

    /**
     * The same Kafka headers straight from a delivery's AMQP properties, as a batch of deliveries needs them: what
     * {@link #kafkaHeaders(Map)} makes of the headers the spring-rabbitmq consumer would give the delivery
     * ({@code inbound} is its header filter), without making those first. As there, a header made from an AMQP
     * property replaces an AMQP header of the same name, in any case (Camel's header names are case-insensitive).
     */
    static Headers recordHeaders(MessageProperties properties, HeaderFilterStrategy inbound, Exchange exchange) {
        RecordHeaders headers = new RecordHeaders();
        properties.getHeaders().forEach((name, value) -> {
            if (value != null && isCarried(name) && !inbound.applyFilterToExternalHeaders(name, value, exchange)) {
                headers.add(name, utf8(BridgeHeaders.asText(value)));
            }
        });
        boolean amqpHeaders = headers.iterator().hasNext();
        putText(headers, amqpHeaders, BridgeHeaders.MESSAGE_ID, properties.getMessageId());
        putText(headers, amqpHeaders, BridgeHeaders.CORRELATION_ID, properties.getCorrelationId());
        putText(headers, amqpHeaders, BridgeHeaders.CONTENT_TYPE, properties.getContentType());
        putText(headers, amqpHeaders, BridgeHeaders.TIMESTAMP, properties.getTimestamp());
        putText(headers, amqpHeaders, BridgeHeaders.RABBITMQ_EXCHANGE, properties.getReceivedExchange());
        putText(headers, amqpHeaders, BridgeHeaders.RABBITMQ_ROUTING_KEY, properties.getReceivedRoutingKey());
        return headers;
    }

    /** An AMQP header that crosses as a Kafka header of the same name. */
    private static boolean isCarried(String name) {
        return !BridgeHeaders.isInternal(name);
    }

    private static void putText(Headers headers, boolean replace, String name, Object value) {
        if (value == null) {
            return;
        }
        if (replace) {
            for (Iterator<Header> it = headers.iterator(); it.hasNext(); ) {
                if (it.next().key().equalsIgnoreCase(name)) {
                    it.remove();
                }
            }
        }
        headers.add(name, utf8(BridgeHeaders.asText(value)));
    }

    /** Kafka header values are bytes; UTF-8 whatever the platform's default charset. */
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
