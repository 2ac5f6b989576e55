package io.messagebridge.tokafka;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.messagebridge.core.BatchOutcome;
import io.messagebridge.core.BridgeProperties;
import io.messagebridge.failures.BatchDeadLetters;
import io.messagebridge.failures.PermanentFailures;
import io.messagebridge.rabbitmq.RabbitDeliveries;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

/**
 * The body a {@value KafkaBatchComponent#SCHEME} endpoint sends: the Kafka records made from a batch of RabbitMQ
 * deliveries, each remembering its delivery and, once sent, what Kafka answered. So:
 * <ul>
 * <li>a retry (Camel's error handler sends the body again) sends only the records Kafka has not acknowledged, no
 * duplicate of the others;</li>
 * <li>a record Kafka refuses for good (too large...) is dead-lettered on its own by {@link #deadLetterRefused}, the
 * route's handler for permanent failures, instead of the batch;</li>
 * <li>as the batch's {@link BatchOutcome} it tells which deliveries to ack and which to requeue.</li>
 * </ul>
 */
public final class KafkaRecordBatch implements BatchOutcome {

    private final List<Record> records;
    /** Set once {@link #deadLetterRefused} ran: until then a batch that completed delivered every record. */
    private boolean refusalsHandled;

    public KafkaRecordBatch(List<Record> records) {
        this.records = records;
    }

    /**
     * One record, made from one delivery: what Kafka is sent (the delivery's body as value) and what it answered to
     * the latest send. Kafka's I/O thread writes the answer, other threads read it: hence the lock.
     */
    public static final class Record {

        private final org.springframework.amqp.core.Message delivery;
        private final String key;
        private final Headers headers;
        /** The record as deduplication saw it, which keeps its id until delivery; null without deduplication. */
        private final Message dedupMessage;
        private int attempt;
        private boolean answered;
        private RecordMetadata metadata;
        private Exception failure;
        private boolean deadLettered;

        Record(org.springframework.amqp.core.Message delivery, String key, Headers headers, Message dedupMessage) {
            this.delivery = delivery;
            this.key = key;
            this.headers = headers;
            this.dedupMessage = dedupMessage;
        }

        public String key() {
            return key;
        }

        public byte[] value() {
            return delivery.getBody();
        }

        public Headers headers() {
            return headers;
        }

        /** A new send of the record: forgets the last answer; returns the attempt its answer must name. */
        synchronized int sending() {
            answered = false;
            metadata = null;
            failure = null;
            return ++attempt;
        }

        /**
         * Kafka's answer to a send; false if it is not the first answer to the latest send (Kafka answers some
         * records twice after a fatal producer error, and a record sent again may still get the earlier answer).
         */
        synchronized boolean answered(int attempt, RecordMetadata metadata, Exception failure) {
            if (attempt != this.attempt || answered) {
                return false;
            }
            answered = true;
            this.metadata = metadata;
            this.failure = failure;
            return true;
        }

        synchronized boolean acknowledged() {
            // Kafka reports a failed send with an offset of -1
            return failure == null && metadata != null && metadata.hasOffset();
        }

        synchronized Exception failure() {
            return failure;
        }

        Message dedupMessage() {
            return dedupMessage;
        }

        private long tag() {
            return delivery.getMessageProperties().getDeliveryTag();
        }
    }

    /** Every record, as a route under test reads what was sent. */
    public List<Record> records() {
        return Collections.unmodifiableList(records);
    }

    /** The records to send: those Kafka has not acknowledged yet. */
    List<Record> unacknowledged() {
        return records.stream().filter(record -> !record.acknowledged()).toList();
    }

    /** For deduplication, once the batch was sent: the messages of the records Kafka acknowledged. */
    public static List<Message> deliveredMessages(Exchange batch) throws InvalidPayloadException {
        return batch.getMessage().getMandatoryBody(KafkaRecordBatch.class).delivered().stream()
                .map(Record::dedupMessage).toList();
    }

    /** The records Kafka has acknowledged. */
    List<Record> delivered() {
        return records.stream().filter(Record::acknowledged).toList();
    }

    /**
     * Why the last send failed, or null: a transient failure if there was one, so that Camel's error handler retries
     * the batch (the records refused for good are sent again, and refused again, with it), else a permanent one.
     */
    Exception failure() {
        Exception permanent = null;
        for (Record record : records) {
            Exception failure = record.failure();
            if (failure != null) {
                if (!PermanentFailures.isPermanent(failure)) {
                    return failure;
                }
                permanent = permanent == null ? failure : permanent;
            }
        }
        return permanent;
    }

    @Override
    public Set<Long> reached() {
        return tags(Record::acknowledged);
    }

    @Override
    public Set<Long> missed() {
        if (!refusalsHandled) {
            return Set.of();
        }
        return tags(record -> !record.acknowledged() && !record.deadLettered);
    }

    /**
     * The route's handler for a permanent failure of the batch's send, which {@link #failure} reports only once no
     * record failed otherwise: each record Kafka refused for good goes to the dead-letter route with its reason.
     * Should a record have failed otherwise all the same, it is requeued ({@link #missed}), not acked.
     */
    public static Processor deadLetterRefused(String deadLetterUri) {
        Processor write = BatchDeadLetters.send(deadLetterUri);
        return batch -> {
            KafkaRecordBatch body = batch.getMessage().getMandatoryBody(KafkaRecordBatch.class);
            body.refusalsHandled = true;
            for (Record record : body.records) {
                Exception failure = record.failure();
                if (!record.acknowledged() && PermanentFailures.isPermanent(failure)) {
                    BatchDeadLetters.add(batch, RabbitDeliveries.message(batch, record.delivery), failure);
                    record.deadLettered = true;
                }
            }
            batch.setProperty(BridgeProperties.FORWARDED, body.reached().size());
            write.process(batch);
        };
    }

    private Set<Long> tags(Predicate<Record> which) {
        return records.stream().filter(which).map(Record::tag).collect(Collectors.toSet());
    }
}
