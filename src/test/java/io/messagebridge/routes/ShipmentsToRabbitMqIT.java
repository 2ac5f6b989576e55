package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.rabbitmq.client.GetResponse;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kafka topic shipments to RabbitMQ exchange notifications, routing key shipment.<status> (Java DSL). */
class ShipmentsToRabbitMqIT {

    private static final int SHIPMENTS = 1000;
    private static final String[] STATUSES = {"SHIPPED", "In_Transit", "delivered"};

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final String queue = "notifications-test-" + names.suffix();
    private RabbitMq rabbit;
    private BridgeProcess bridge;

    @BeforeEach
    void bindQueue() {
        rabbit = new RabbitMq();
        rabbit.declareBoundQueue(queue, names.notificationsExchange(), "shipment.shipped", "shipment.in_transit",
                "shipment.delivered");
        bridge = new BridgeProcess("shipments-" + names.suffix(), names.provision(kafka));
    }

    @AfterEach
    void stopBridge() {
        bridge.stop();
        rabbit.close();
    }

    @Test
    void everyRecordArrivesOnceWithItsRoutingKeyAndHeaders() {
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            // half before the bridge ever ran: a new consumer group must start from the earliest offset
            sendShipments(producer, 0, SHIPMENTS / 2);
            bridge.startAndAwaitRoutes();
            sendShipments(producer, SHIPMENTS / 2, SHIPMENTS);
        }

        List<GetResponse> received = rabbit.drain(queue, SHIPMENTS, Duration.ofSeconds(60));
        assertThat(received).hasSize(SHIPMENTS);
        Map<String, GetResponse> byCorrelation = received.stream()
                .collect(Collectors.toMap(r -> r.getProps().getCorrelationId(), Function.identity()));
        assertThat(byCorrelation).hasSize(SHIPMENTS);
        for (int i = 0; i < SHIPMENTS; i++) {
            GetResponse message = byCorrelation.get("o-" + i);
            assertThat(message).as("shipment of o-%d", i).isNotNull();
            assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo(shipment(i));
            assertThat(message.getEnvelope().getExchange()).isEqualTo(names.notificationsExchange());
            assertThat(message.getEnvelope().getRoutingKey())
                    .isEqualTo("shipment." + STATUSES[i % STATUSES.length].toLowerCase(Locale.ROOT));
            assertThat(message.getProps().getMessageId()).isEqualTo("evt-" + i);
            assertThat(message.getProps().getContentType()).isEqualTo("application/json");
            assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(message.getProps().getTimestamp()).isNotNull();
            assertThat(message.getProps().getHeaders().get("trace-id")).hasToString("trace-" + i);
            assertThat(message.getProps().getHeaders()).doesNotContainKeys("message-id", "kafka.KEY");
        }
        assertThat(rabbit.messageCount(queue)).isZero();
    }

    @Test
    void badAndUnroutableRecordsGoToTheDeadLetterTopicWithTheirKeyAndGoodOnesStillArrive() {
        bridge.startAndAwaitRoutes();
        Map<String, String> bad = Map.of(
                "k-not-json", "<shipment/>",
                "k-no-status", "{\"shipmentId\":\"s-x\",\"orderId\":\"k-no-status\"}",
                "k-unroutable", "{\"shipmentId\":\"s-y\",\"orderId\":\"k-unroutable\",\"status\":\"TELEPORTED\"}");
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            producer.send(record(0));
            bad.forEach((key, value) -> producer.send(new ProducerRecord<>(names.shipmentsTopic(), key, value)));
            producer.send(record(1));
        }

        String deadLetterTopic = names.shipmentsTopic() + ".DLT";
        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(kafka, deadLetterTopic)) {
            List<ConsumerRecord<String, String>> dead = KafkaRecords.pollUntil(consumer, bad.size(), Duration.ofSeconds(30));
            dead.addAll(KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(1)));
            assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(bad.keySet());
            for (ConsumerRecord<String, String> record : dead) {
                assertThat(record.value()).as("original value").isEqualTo(bad.get(record.key()));
                assertThat(KafkaRecords.header(record, "x-error-route")).isEqualTo("shipments-to-rabbitmq");
                assertThat(KafkaRecords.header(record, "x-origin-topic")).isEqualTo(names.shipmentsTopic());
                assertThat(KafkaRecords.header(record, "x-origin-partition")).matches("\\d+");
                assertThat(KafkaRecords.header(record, "x-origin-offset")).matches("\\d+");
                assertThat(KafkaRecords.header(record, "x-error-time")).isNotBlank();
                assertThat(KafkaRecords.header(record, "x-error-attempts")).isEqualTo("1");
            }
            Map<String, ConsumerRecord<String, String>> byKey = dead.stream()
                    .collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
            assertThat(KafkaRecords.header(byKey.get("k-not-json"), "x-error-message")).startsWith("body is not valid JSON");
            assertThat(KafkaRecords.header(byKey.get("k-no-status"), "x-error-message")).isEqualTo("no 'status' field");
            assertThat(KafkaRecords.header(byKey.get("k-unroutable"), "x-error-class"))
                    .isEqualTo("io.messagebridge.failures.UnroutableMessageException");
            assertThat(KafkaRecords.header(byKey.get("k-unroutable"), "x-error-message"))
                    .contains("shipment.teleported").contains(names.notificationsExchange());
        }
        List<GetResponse> received = rabbit.drain(queue, 2, Duration.ofSeconds(30));
        assertThat(received).extracting(r -> r.getProps().getCorrelationId()).containsExactlyInAnyOrder("o-0", "o-1");
        assertThat(bridge.log()).filteredOn(l -> l.contains("Dead letter from route shipments-to-rabbitmq"))
                .hasSize(bad.size());
    }

    private void sendShipments(CheckedProducer<String, String> producer, int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(record(i));
        }
        producer.flush();
    }

    private ProducerRecord<String, String> record(int i) {
        ProducerRecord<String, String> record = new ProducerRecord<>(names.shipmentsTopic(), "o-" + i, shipment(i));
        record.headers().add("message-id", ("evt-" + i).getBytes(StandardCharsets.UTF_8));
        record.headers().add("trace-id", ("trace-" + i).getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static String shipment(int i) {
        return "{\"shipmentId\":\"s-" + i + "\",\"orderId\":\"o-" + i + "\",\"status\":\"" + STATUSES[i % STATUSES.length]
                + "\",\"eta\":\"2026-12-01T10:00:00Z\"}";
    }
}
