package io.messagebridge.bridge;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.spi.HeaderFilterStrategy;
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

    /** The Kafka headers for a message with these (spring-rabbitmq consumer's) Camel headers. */
    static Map<String, Object> kafkaHeaders(Map<String, Object> amqpHeaders) {
        Map<String, Object> mapped = new HashMap<>();
        amqpHeaders.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            String kafkaName = PROPERTIES.get(name);
            if (kafkaName != null) {
                mapped.put(kafkaName, asText(value));
            } else if (isCarried(name)) {
                mapped.put(name, asText(value));
            }
        });
        return mapped;
    }

    /**
     * The same Kafka headers straight from a delivery's AMQP properties, as a batch of deliveries needs them: what
     * {@link #kafkaHeaders(Map)} makes of the headers the spring-rabbitmq consumer would give the delivery
     * ({@code inbound} is its header filter), without making those first.
     */
    static void kafkaHeaders(MessageProperties properties, HeaderFilterStrategy inbound, Exchange exchange,
                             BiConsumer<String, String> target) {
        properties.getHeaders().forEach((name, value) -> {
            if (value != null && isCarried(name) && !inbound.applyFilterToExternalHeaders(name, value, exchange)) {
                target.accept(name, asText(value));
            }
        });
        putText(target, BridgeHeaders.MESSAGE_ID, properties.getMessageId());
        putText(target, BridgeHeaders.CORRELATION_ID, properties.getCorrelationId());
        putText(target, BridgeHeaders.CONTENT_TYPE, properties.getContentType());
        putText(target, BridgeHeaders.TIMESTAMP, properties.getTimestamp());
        putText(target, BridgeHeaders.RABBITMQ_EXCHANGE, properties.getReceivedExchange());
        putText(target, BridgeHeaders.RABBITMQ_ROUTING_KEY, properties.getReceivedRoutingKey());
    }

    /** An AMQP header that crosses as a Kafka header of the same name. */
    private static boolean isCarried(String name) {
        // kafka.* names would steer camel-kafka's producer (topic, partition, key): a publisher must not
        return !name.startsWith("Camel") && !name.startsWith("camel") && !name.regionMatches(true, 0, "kafka.", 0, 6);
    }

    private static void putText(BiConsumer<String, String> target, String name, Object value) {
        if (value != null) {
            target.accept(name, asText(value));
        }
    }

    static String asText(Object value) {
        if (value instanceof Date date) {
            return Long.toString(date.getTime());
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value.toString();
    }
}
