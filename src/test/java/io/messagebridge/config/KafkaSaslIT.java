package io.messagebridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge against a Kafka listener that requires SASL (PLAIN), its account read from a secrets file: both
 * directions flow, readiness is UP (the reachability check logs in too), log lines carry the route and message ids,
 * and the password appears nowhere in the log.
 */
class KafkaSaslIT {

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();

    @Test
    void bridgesThroughASaslListenerWithCredentialsFromASecretsFile(@TempDir Path dir) throws Exception {
        Path secrets = Files.writeString(dir.resolve("bridge-secrets.properties"),
                "bridge.kafka.sasl-jaas-config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"" + KafkaBroker.SASL_USER + "\" password=\"" + KafkaBroker.SASL_PASSWORD + "\";\n");
        Map<String, String> env = names.provision(kafka);
        env.put("KAFKA_BROKERS", kafka.saslBootstrapServers());
        env.put("BRIDGE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("BRIDGE_KAFKA_SASL_MECHANISM", "PLAIN");
        env.put("BRIDGE_SECRETS_FILE", secrets.toString());
        String notifications = "notifications-sasl-" + names.suffix();
        try (RabbitMq rabbit = new RabbitMq();
             BridgeProcess bridge = new BridgeProcess("sasl-" + names.suffix(), env).startAndAwaitRoutes()) {
            rabbit.declareBoundQueue(notifications, names.notificationsExchange(), "shipment.#");
            rabbit.forgetPipeline(names);
            for (int i = 0; i < 10; i++) {
                rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("k-" + i, null, Map.of()),
                        Traffic.order("k-" + i).getBytes(StandardCharsets.UTF_8));
            }
            rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("k-bad", null, Map.of()),
                    "not json".getBytes(StandardCharsets.UTF_8));
            rabbit.awaitConfirms();
            try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>(names.shipmentsTopic(), "k-" + i, Traffic.shipment("k-" + i)));
                }
            }

            try (KafkaConsumer<String, String> orders = KafkaRecords.consumer(kafka, names.ordersTopic())) {
                assertThat(KafkaRecords.pollUntil(orders, 10, Duration.ofSeconds(60)))
                        .extracting(ConsumerRecord::key).hasSize(10).doesNotHaveDuplicates();
            }
            assertThat(rabbit.drain(notifications, 5, Duration.ofSeconds(30))).hasSize(5);
            String ready = "http://127.0.0.1:" + env.get("BRIDGE_MANAGEMENT_PORT") + "/observe/health/ready";
            Awaitility.await("ready").atMost(Duration.ofSeconds(30)).until(() -> status(ready) == 200);

            assertThat(bridge.log()).anySatisfy(line -> assertThat(line)
                    .contains("route=orders-to-kafka message=k-bad - Dead letter from route orders-to-kafka"));
            assertThat(bridge.log()).noneMatch(line -> line.contains(KafkaBroker.SASL_PASSWORD));
        }
    }

    private static int status(String url) throws InterruptedException {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
