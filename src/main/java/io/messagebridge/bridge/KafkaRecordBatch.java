package io.messagebridge.bridge;

import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.messagebridge.errors.PermanentFailures;
import io.messagebridge.management.BridgeRoutes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The body camel-kafka sends for a batch of RabbitMQ deliveries: one small exchange per record, which camel-kafka
 * marks with the record's outcome (its metadata, or its exception). camel-kafka fails the whole batch exchange when
 * one record fails, so:
 * <ul>
 * <li>iterating yields only the records Kafka has not acknowledged: when Camel's error handler sends the body again,
 * only the failed records go again, no duplicate of the others;</li>
 * <li>a record Kafka refuses for good (too large...) is dead-lettered on its own by {@link #deadLetterRefused}, the
 * route's handler for permanent failures, instead of the batch;</li>
 * <li>as the batch's {@link RabbitAcknowledgement.Outcome} it tells which deliveries to ack and which to requeue.</li>
 * </ul>
 * The endpoint needs {@code recordMetadata=true} (which records each acknowledgement) and
 * {@code batchWithIndividualHeaders=true} (each record's own headers).
 */
public final class KafkaRecordBatch implements Iterable<Exchange>, RabbitAcknowledgement.Outcome {

    private static final String DELIVERY = "bridge.delivery";
    private static final String DEAD_LETTERED = "bridge.deadLettered";

    private final List<Exchange> records;
    /** Set once {@link #deadLetterRefused} ran: until then a batch that completed delivered every record. */
    private boolean partial;

    public KafkaRecordBatch(List<Exchange> records) {
        this.records = records;
    }

    /** The record made from this delivery. */
    static void madeFrom(Exchange record, org.springframework.amqp.core.Message delivery) {
        record.setProperty(DELIVERY, delivery);
    }

    @Override
    public Iterator<Exchange> iterator() {
        return records.stream().filter(record -> !acknowledged(record)).iterator();
    }

    /** The records Kafka has acknowledged. */
    public List<Exchange> delivered() {
        return records.stream().filter(KafkaRecordBatch::acknowledged).toList();
    }

    @Override
    public Set<Long> reached() {
        return tags(KafkaRecordBatch::acknowledged);
    }

    @Override
    public Set<Long> missed() {
        if (!partial) {
            return Set.of();
        }
        return tags(record -> !acknowledged(record) && !record.getProperty(DEAD_LETTERED, false, Boolean.class));
    }

    /**
     * The route's handler for a permanent failure of the batch's send: each record Kafka refused for good goes to
     * the dead-letter route with its reason; those that failed otherwise are requeued ({@link #missed}).
     */
    public static Processor deadLetterRefused(String deadLetterUri) {
        Processor write = BatchDeadLetters.send(deadLetterUri);
        return batch -> {
            KafkaRecordBatch body = batch.getMessage().getMandatoryBody(KafkaRecordBatch.class);
            body.partial = true;
            for (Exchange record : body.records) {
                Exception reason = record.getException();
                if (!acknowledged(record) && PermanentFailures.isPermanent(reason)) {
                    BatchDeadLetters.add(batch, RabbitDeliveriesToKafka.original(batch,
                            record.getProperty(DELIVERY, org.springframework.amqp.core.Message.class)), reason);
                    record.setProperty(DEAD_LETTERED, true);
                }
            }
            batch.setProperty(BridgeRoutes.FORWARDED, body.reached().size());
            write.process(batch);
        };
    }

    private Set<Long> tags(Predicate<Exchange> which) {
        return records.stream().filter(which)
                .map(record -> record.getProperty(DELIVERY, org.springframework.amqp.core.Message.class)
                        .getMessageProperties().getDeliveryTag())
                .collect(Collectors.toSet());
    }

    private static boolean acknowledged(Exchange record) {
        // Kafka reports a failed send with an offset of -1
        List<?> metadata = record.getMessage().getHeader(KafkaConstants.KAFKA_RECORD_META, List.class);
        return metadata != null && !metadata.isEmpty() && metadata.get(0) instanceof RecordMetadata sent
                && sent.hasOffset();
    }
}
