package io.messagebridge.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/** Kafka clients for tests: a reliable producer, and reading what arrived on a topic, for assertions. */
public final class KafkaRecords {

    private KafkaRecords() {
    }

    public static CheckedProducer<String, String> producer(KafkaBroker broker) {
        return new CheckedProducer<>(broker, new StringSerializer(), new StringSerializer());
    }

    /** A consumer in a fresh group, reading the topic from its beginning. */
    public static KafkaConsumer<String, String> consumer(KafkaBroker broker, String topic) {
        return consumer(broker.bootstrapServers(), topic);
    }

    /** {@link #consumer(KafkaBroker, String)} on a broker that someone else started. */
    public static KafkaConsumer<String, String> consumer(String bootstrapServers, String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    public static CheckedProducer<String, byte[]> bytesProducer(KafkaBroker broker) {
        return new CheckedProducer<>(broker, new StringSerializer(), new ByteArraySerializer());
    }

    /** Like {@link #consumer}, with values as the bytes that were written. */
    public static KafkaConsumer<String, byte[]> bytesConsumer(KafkaBroker broker, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls until at least {@code expected} records arrived, or fails after the timeout. */
    public static <K, V> List<ConsumerRecord<K, V>> pollUntil(Consumer<K, V> consumer, int expected, Duration timeout) {
        List<ConsumerRecord<K, V>> received = new ArrayList<>();
        Awaitility.await(expected + " records")
                .atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                    return received.size() >= expected;
                });
        return received;
    }

    /** Keeps polling for a while after the expected count, to catch anything extra (duplicates, strays). */
    public static <K, V> List<ConsumerRecord<K, V>> pollQuietly(Consumer<K, V> consumer, Duration quiet) {
        List<ConsumerRecord<K, V>> received = new ArrayList<>();
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        }
        return received;
    }

    /** Reads a topic from its beginning: exactly {@code expected} records, and nothing more within a second. */
    public static List<ConsumerRecord<String, String>> exactly(KafkaBroker broker, String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = consumer(broker, topic)) {
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, expected, Duration.ofSeconds(60));
            records.addAll(pollQuietly(consumer, Duration.ofSeconds(1)));
            assertThat(records).as(topic).hasSize(expected);
            return records;
        }
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
