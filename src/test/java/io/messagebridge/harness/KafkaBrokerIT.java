package io.messagebridge.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The harness itself: a record acked by the broker survives a SIGKILL of the broker and a restart. */
class KafkaBrokerIT {

    @Test
    void acknowledgedRecordsSurviveKillAndRestart() throws Exception {
        try (KafkaBroker broker = new KafkaBroker(Files.createTempDirectory(Path.of("target"), "kafka-it-"),
                KafkaBroker.freePort())) {
            broker.start();
            String topic = "harness-" + UUID.randomUUID();
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k1", "before-kill")).get();
            }

            broker.kill();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            try (var consumer = new KafkaConsumer<String, String>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "harness-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                List<ConsumerRecord<String, String>> received = KafkaRecords.pollUntil(consumer, 1, Duration.ofSeconds(30));
                assertThat(received).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("k1");
                    assertThat(r.value()).isEqualTo("before-kill");
                });
            }
        }
    }
}
