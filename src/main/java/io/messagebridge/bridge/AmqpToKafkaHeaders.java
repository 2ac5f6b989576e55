package io.messagebridge.bridge;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

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
        Map<String, Object> mapped = new HashMap<>();
        message.getHeaders().forEach((name, value) -> {
            if (value == null) {
                return;
            }
            String kafkaName = PROPERTIES.get(name);
            if (kafkaName != null) {
                mapped.put(kafkaName, asText(value));
            } else if (!name.startsWith("Camel") && !name.startsWith("camel")
                    && !name.regionMatches(true, 0, "kafka.", 0, 6)) {
                // kafka.* names would steer camel-kafka's producer (topic, partition, key): a publisher must not
                mapped.put(name, asText(value));
            }
        });
        // Camel's own headers stay for the route (camel-kafka does not send them); the AMQP ones are replaced.
        message.removeHeaders("*", "Camel*");
        message.getHeaders().putAll(mapped);
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
