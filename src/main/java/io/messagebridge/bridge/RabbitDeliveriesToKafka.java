package io.messagebridge.bridge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.messagebridge.management.BridgeRoutes;
import io.messagebridge.mapping.JsonFields;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.DefaultMessagePropertiesConverter;
import org.apache.camel.component.springrabbit.MessagePropertiesConverter;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.component.springrabbit.SpringRabbitMQHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns a batch of RabbitMQ deliveries ({@link RabbitDeliveries}) into the Kafka records a {@value
 * KafkaRecordBatches#SCHEME} endpoint then sends in one go: the body becomes a {@link KafkaRecordBatch}, each record
 * with the delivery's body as value, a JSON field as key and its AMQP properties and headers as Kafka headers
 * ({@link AmqpToKafkaHeaders}), exactly what the one-message-per-exchange steps make, without the Camel messages and
 * header maps they need. A delivery that cannot become a record (not JSON, no key) goes to the dead-letter route with
 * the reason ({@link BatchDeadLetters}), one that deduplication recognises is dropped; the rest of the batch goes on.
 */
public final class RabbitDeliveriesToKafka implements Processor {

    private static final HeaderFilterStrategy STANDALONE_FILTER = new SpringRabbitMQHeaderFilterStrategy();
    private static final MessagePropertiesConverter STANDALONE = standaloneConverter();

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
                BatchDeadLetters.setAside(batch, () -> original(batch, delivery), e);
                continue;
            }
            RecordHeaders headers = new RecordHeaders();
            Message deduplicated = dedup.isEnabled() ? new DefaultMessage(batch) : null;
            AmqpToKafkaHeaders.kafkaHeaders(delivery.getMessageProperties(), inbound, batch, (name, value) -> {
                headers.add(name, value.getBytes(StandardCharsets.UTF_8));
                if (deduplicated != null) {
                    deduplicated.setHeader(name, value);
                }
            });
            if (deduplicated == null || dedup.isNew(batch, deduplicated)) {
                records.add(new KafkaRecordBatch.Record(delivery, key, headers, deduplicated));
            }
        }
        KafkaRecordBatch body = new KafkaRecordBatch(records);
        batch.getMessage().setBody(body);
        batch.setProperty(BridgeRoutes.FORWARDED, records.size());
        batch.setProperty(RabbitAcknowledgement.OUTCOME, body);
    }

    /** The message a dead letter carries: the delivery as the spring-rabbitmq consumer would have given it. */
    static Message original(Exchange batch, org.springframework.amqp.core.Message delivery) {
        MessagePropertiesConverter converter = batch.getFromEndpoint() instanceof SpringRabbitMQEndpoint endpoint
                ? endpoint.getMessagePropertiesConverter() : STANDALONE;
        Message original = new DefaultMessage(batch);
        original.setBody(delivery.getBody());
        original.setHeaders(converter.fromMessageProperties(delivery.getMessageProperties(), batch));
        String id = BridgeHeaders.sourceMessageId(original);
        if (id != null) {
            original.setMessageId(id);
        }
        return original;
    }

    /** For a route under test, which consumes from direct: instead of RabbitMQ. */
    private static MessagePropertiesConverter standaloneConverter() {
        DefaultMessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();
        converter.setHeaderFilterStrategy(STANDALONE_FILTER);
        return converter;
    }
}
