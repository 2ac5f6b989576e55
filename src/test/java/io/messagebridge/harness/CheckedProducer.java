package io.messagebridge.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How tests write to Kafka: every write is checked on {@link #flush()} and {@link #close()}, so that a record the test
 * failed to write is reported as such, never mistaken for one the bridge lost.
 * <p>
 * Not idempotent, one request in flight: on a busy machine a partition can still be opening when the first batch
 * reaches it (NOT_LEADER_OR_FOLLOWER); an idempotent producer with several requests in flight then has a later batch
 * accepted and its retried first batch refused with OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms, which
 * lost a third of a partition's records in ShipmentsToRabbitMqIT. One request in flight retries in order instead.
 */
public final class CheckedProducer<K, V> implements AutoCloseable {

    private final KafkaProducer<K, V> producer;
    private final List<Future<RecordMetadata>> unchecked = new ArrayList<>();

    CheckedProducer(KafkaBroker broker, Serializer<K> keys, Serializer<V> values) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 5),
                keys, values);
    }

    public void send(ProducerRecord<K, V> record) {
        unchecked.add(producer.send(record));
    }

    /** Waits until Kafka has answered every write so far; fails if it refused any. */
    public void flush() {
        producer.flush();
        try {
            for (Future<RecordMetadata> write : unchecked) {
                write.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the test could not write its records to Kafka: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            unchecked.clear();
        }
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            producer.close();
        }
    }
}
