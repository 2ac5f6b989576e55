package io.messagebridge.bridge;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * Makes a persistent AMQP message of a Kafka record and puts it in the batch's {@link RabbitOutbox}. The routing key
 * comes from the {@code CamelSpringRabbitmqRoutingOverrideKey} header, as it would for a spring-rabbitmq producer.
 * Record headers become AMQP headers (UTF-8 strings), the record key becomes the correlation-id, and the
 * {@code message-id} and {@code content-type} headers become the AMQP properties of those names.
 */
public final class KafkaRecordToAmqp implements Processor {

    static final String DEFAULT_CONTENT_TYPE = "application/json";
    private static final int PERSISTENT = 2;

    private final String exchangeName;

    public KafkaRecordToAmqp(String exchangeName) {
        this.exchangeName = exchangeName;
    }

    @Override
    public void process(Exchange exchange) {
        Message record = exchange.getMessage();
        String routingKey = record.getHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, String.class);
        if (routingKey == null) {
            throw new IllegalStateException("no routing key: set the " + SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY
                    + " header before KafkaRecordToAmqp");
        }
        Map<String, Object> headers = new HashMap<>();
        record.getHeaders().forEach((name, value) -> {
            if (value != null && !name.startsWith("kafka.") && !name.startsWith("Camel") && !name.startsWith("camel")) {
                headers.put(name, value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value);
            }
        });
        Object messageId = headers.remove(BridgeHeaders.MESSAGE_ID);
        Object contentType = headers.remove(BridgeHeaders.CONTENT_TYPE);
        Object key = record.getHeader(KafkaConstants.KEY);
        Long timestamp = record.getHeader(KafkaConstants.TIMESTAMP, Long.class);

        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(PERSISTENT)
                .contentType(contentType != null ? contentType.toString() : DEFAULT_CONTENT_TYPE)
                .messageId(messageId != null ? messageId.toString() : null)
                .correlationId(key != null ? key.toString() : null)
                .timestamp(timestamp != null ? new Date(timestamp) : null)
                .headers(headers)
                .build();
        byte[] body = record.getBody(byte[].class);
        RabbitOutbox.add(exchange, new OutgoingAmqpMessage(exchangeName, routingKey, properties,
                body != null ? body : new byte[0], record));
    }
}
