package io.messagebridge.torabbitmq;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import io.messagebridge.core.BridgeHeaders;
import io.messagebridge.dedup.Deduplication;
import io.messagebridge.failures.BatchDeadLetters;
import io.messagebridge.kafka.PolledRecords;
import io.messagebridge.mapping.RoutingKeys;
import io.messagebridge.outputs.OutgoingRabbitMessage.ExchangeDeclaration;
import io.messagebridge.outputs.OutgoingRabbitMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Makes a persistent AMQP message of each record of a camel-kafka batch and puts it in the batch's
 * {@link PendingPublishes}, in one pass over the batch. The routing key comes from a pattern over the record's JSON fields
 * ({@link RoutingKeys#fromPattern}); record headers become AMQP headers (UTF-8 strings), the record key becomes the
 * correlation-id, and the {@code message-id} and {@code content-type} headers become the AMQP properties of those
 * names. A record without a valid routing key goes to the dead-letter route with the reason
 * ({@link BatchDeadLetters}), one that deduplication recognises is left out; the rest of the batch goes on.
 */
public final class KafkaRecordsToAmqp implements Processor {

    private static final String DEFAULT_CONTENT_TYPE = "application/json";
    private static final int PERSISTENT = 2;

    private final String exchangeName;
    private final String routingKeyPattern;
    private final Deduplication dedup;

    public KafkaRecordsToAmqp(String exchangeName, String routingKeyPattern, Deduplication dedup) {
        this.exchangeName = exchangeName;
        this.routingKeyPattern = routingKeyPattern;
        this.dedup = dedup;
    }

    @Override
    public void process(Exchange batch) {
        PendingPublishes.open(batch);
        for (Message record : PolledRecords.records(batch)) {
            byte[] body = record.getBody(byte[].class);
            String routingKey;
            try {
                routingKey = RoutingKeys.fromPattern(body, routingKeyPattern);
            } catch (RuntimeException e) {
                BatchDeadLetters.setAside(batch, () -> record, e);
                continue;
            }
            if (dedup.isNew(batch, record)) {
                PendingPublishes.add(batch, new OutgoingAmqpMessage(new OutgoingRabbitMessage(exchangeName, routingKey,
                        properties(record), body != null ? body : new byte[0], ExchangeDeclaration.DURABLE_TOPIC), record));
            }
        }
    }

    private static AMQP.BasicProperties properties(Message record) {
        return properties(record.getHeaders(), record.getHeader(KafkaConstants.KEY),
                record.getHeader(KafkaConstants.TIMESTAMP, Long.class));
    }

    /**
     * The AMQP properties of a record with these headers (as camel-kafka hands them over: values bytes), key and
     * timestamp; also for a replay that reads the records with a client of its own (io.messagebridge.replay).
     */
    public static AMQP.BasicProperties properties(Map<String, Object> recordHeaders, Object key, Long timestamp) {
        Map<String, Object> headers = new HashMap<>();
        recordHeaders.forEach((name, value) -> {
            if (value != null && !BridgeHeaders.isInternal(name)) {
                headers.put(name, value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value);
            }
        });
        Object messageId = headers.remove(BridgeHeaders.MESSAGE_ID);
        Object contentType = headers.remove(BridgeHeaders.CONTENT_TYPE);
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(PERSISTENT)
                .contentType(contentType != null ? contentType.toString() : DEFAULT_CONTENT_TYPE)
                .messageId(messageId != null ? messageId.toString() : null)
                .correlationId(key != null ? key.toString() : null)
                .timestamp(timestamp != null ? new Date(timestamp) : null)
                .headers(headers)
                .build();
    }
}
