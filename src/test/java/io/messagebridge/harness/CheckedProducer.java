package io.messagebridge.harness;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How tests and the benchmark write to Kafka: every write is checked on {@link #flush()} and {@link #close()}, so that
 * a record that was never written is reported as such, never mistaken for one the bridge lost.
 * <p>
 * Not idempotent, one request in flight: on a busy machine a partition can still be opening when the first batch
 * reaches it (NOT_LEADER_OR_FOLLOWER); an idempotent producer with several requests in flight then has a later batch
 * accepted and its retried first batch refused with OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms, which
 * lost a third of a partition's records in ShipmentsToRabbitMqIT. One request in flight retries in order instead.
 */
public final class CheckedProducer<K, V> implements AutoCloseable {

    private final KafkaProducer<K, V> producer;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

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
        producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                firstFailure.compareAndSet(null, failure);
            }
        });
    }

    /** Waits until Kafka has answered every write so far (their callbacks have run by then); fails if one failed. */
    public void flush() {
        producer.flush();
        Exception failure = firstFailure.getAndSet(null);
        if (failure != null) {
            throw new IllegalStateException("could not write the records to Kafka: " + failure, failure);
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
