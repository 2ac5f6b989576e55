package io.messagebridge.tokafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.messagebridge.core.BridgeProperties;
import io.messagebridge.dedup.Deduplication;
import io.messagebridge.failures.BatchDeadLetters;
import io.messagebridge.mapping.JsonFields;
import io.messagebridge.rabbitmq.RabbitDeliveries;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.component.springrabbit.SpringRabbitMQHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Turns a batch of RabbitMQ deliveries ({@link RabbitDeliveries}) into the Kafka records a {@value
 * KafkaBatchComponent#SCHEME} endpoint then sends in one go: the body becomes a {@link KafkaRecordBatch}, each record
 * with the delivery's body as value, a JSON field as key and its AMQP properties and headers as Kafka headers
 * ({@link AmqpToKafkaHeaders}): the headers the one-message-per-exchange steps make (values in UTF-8), without the
 * Camel messages and header maps they need. A delivery that cannot become a record (not JSON, no key) goes to the
 * dead-letter route with the reason ({@link BatchDeadLetters}), one that deduplication recognises is dropped; the
 * rest of the batch goes on.
 */
public final class RabbitDeliveriesToKafka implements Processor {

    private static final HeaderFilterStrategy STANDALONE_FILTER = new SpringRabbitMQHeaderFilterStrategy();

    private final String keyField;
    private final Deduplication dedup;

    public RabbitDeliveriesToKafka(String keyField, Deduplication dedup) {
        this.keyField = keyField;
        this.dedup = dedup;
    }

    @Override
    public void process(Exchange batch) throws InvalidPayloadException {
        List<org.springframework.amqp.core.Message> deliveries =
                batch.getMessage().getMandatoryBody(RabbitDeliveries.class).messages();
        HeaderFilterStrategy inbound = batch.getFromEndpoint() instanceof SpringRabbitMQEndpoint endpoint
                ? endpoint.getComponent().getHeaderFilterStrategy() : STANDALONE_FILTER;
        List<KafkaRecordBatch.Record> records = new ArrayList<>(deliveries.size());
        for (org.springframework.amqp.core.Message delivery : deliveries) {
            String key;
            try {
                key = JsonFields.requiredText(delivery.getBody(), keyField);
            } catch (RuntimeException e) {
                BatchDeadLetters.setAside(batch, () -> RabbitDeliveries.message(batch, delivery), e);
                continue;
            }
            Headers headers = AmqpToKafkaHeaders.recordHeaders(delivery.getMessageProperties(), inbound, batch);
            Message dedupMessage = dedup.isEnabled() ? asMessage(batch, delivery, key, headers) : null;
            if (dedupMessage == null || dedup.isNew(batch, dedupMessage)) {
                records.add(new KafkaRecordBatch.Record(delivery, key, headers, dedupMessage));
            }
        }
        KafkaRecordBatch body = new KafkaRecordBatch(records);
        batch.getMessage().setBody(body);
        batch.setProperty(BridgeProperties.FORWARDED, records.size());
        batch.setProperty(BridgeProperties.BATCH_OUTCOME, body);
    }

    /** The record as a Camel message, as deduplication's id expression reads it: body, kafka.KEY and headers. */
    private static Message asMessage(Exchange batch, org.springframework.amqp.core.Message delivery, String key,
                                     Headers headers) {
        Message message = new DefaultMessage(batch);
        message.setBody(delivery.getBody());
        message.setHeader(KafkaConstants.KEY, key);
        for (Header header : headers) {
            message.setHeader(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return message;
    }
}
