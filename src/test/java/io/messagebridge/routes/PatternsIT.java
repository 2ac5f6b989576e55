package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.rabbitmq.client.GetResponse;
import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example pattern routes against the real brokers, in the packaged application: split (order-lines.yaml),
 * filter (order-alerts.yaml), content-based routing (order-routing.yaml) and transform (ShipmentNotificationsRoute).
 */
class PatternsIT {

    private static final KafkaBroker KAFKA = KafkaBroker.shared();
    private static final FlowNames NAMES = FlowNames.unique();
    private static final String ALERTS_QUEUE = "alerts-test-" + NAMES.suffix();
    private static RabbitMq rabbit;
    private static BridgeProcess bridge;

    @BeforeAll
    static void startBridge() {
        rabbit = new RabbitMq();
        rabbit.forgetPipeline(NAMES);
        rabbit.declareBoundQueue(ALERTS_QUEUE, NAMES.alertsExchange(), "order.high-value.#");
        bridge = new BridgeProcess("patterns-" + NAMES.suffix(), NAMES.provision(KAFKA)).startAndAwaitRoutes();
    }

    @AfterAll
    static void stopBridge() {
        bridge.stop();
        rabbit.close();
    }

    @Test
    void ordersAreSplitFilteredAndRoutedByContent() {
        Map<String, String> orders = Map.of(
                "o-1", "{\"orderId\":\"o-1\",\"region\":\"eu\",\"total\":1500,\"lines\":[{\"sku\":\"A\"},{\"sku\":\"B\"},{\"sku\":\"C\"}]}",
                "o-2", "{\"orderId\":\"o-2\",\"region\":\"us\",\"total\":20,\"status\":\"cancelled\",\"lines\":[{\"sku\":\"D\"}]}",
                "o-3", "{\"orderId\":\"o-3\",\"region\":\"us\",\"total\":999.5}",
                "o-4", "{\"orderId\":\"o-4\",\"region\":\"apac\",\"total\":\"big-total-of-o4\",\"lines\":{\"sku\":\"E\"}}");
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(KAFKA)) {
            orders.forEach((id, order) -> producer.send(new ProducerRecord<>(NAMES.orderEventsTopic(), id, order)));
        }

        // split: one record per line, keyed by order; no lines, nothing; lines not an array, a dead letter
        List<ConsumerRecord<String, String>> lines = read(NAMES.orderLinesTopic(), 4);
        assertThat(lines).extracting(ConsumerRecord::key).containsOnly("o-1", "o-2").hasSize(4);
        assertThat(lines).extracting(ConsumerRecord::value).contains(
                "{\"orderId\":\"o-1\",\"index\":2,\"lineCount\":3,\"line\":{\"sku\":\"C\"}}",
                "{\"orderId\":\"o-2\",\"index\":0,\"lineCount\":1,\"line\":{\"sku\":\"D\"}}");

        // filter: the one order at or above 1000, routed by region, persistent
        List<GetResponse> alerts = rabbit.drain(ALERTS_QUEUE, 1, Duration.ofSeconds(30));
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).getEnvelope().getRoutingKey()).isEqualTo("order.high-value.eu");
        assertThat(new String(alerts.get(0).getBody(), StandardCharsets.UTF_8)).isEqualTo(orders.get("o-1"));
        assertThat(alerts.get(0).getProps().getDeliveryMode()).isEqualTo(2);

        // content-based routing: by status first, then region, and an explicit otherwise
        assertThat(read(NAMES.cancelledOrdersTopic(), 1)).extracting(ConsumerRecord::key).containsExactly("o-2");
        assertThat(read(NAMES.priorityOrdersTopic(), 1)).extracting(ConsumerRecord::key).containsExactly("o-1");
        assertThat(read(NAMES.otherOrdersTopic(), 2)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("o-3", "o-4");

        // o-4 is a bad message to the split (lines not an array) and the filter (total not a number)
        Map<String, String> deadLetters = read(NAMES.orderEventsTopic() + ".DLT", 2).stream().collect(Collectors.toMap(
                r -> KafkaRecords.header(r, "x-error-route"), r -> KafkaRecords.header(r, "x-error-message")));
        assertThat(deadLetters).containsExactlyInAnyOrderEntriesOf(Map.of(
                "order-lines", "'lines' must be an array",
                "order-alerts", "'total' must be a number: 'big-total-of-o4'"));
        // the value stays on the dead letter, beside the body, and out of the log
        assertThat(bridge.log()).filteredOn(line -> line.contains("Dead letter from route order-alerts")).singleElement()
                .asString().endsWith("'total' must be a number");
        assertThat(bridge.log()).noneMatch(line -> line.contains("big-total-of-o4"));
        assertThat(rabbit.takeReady(ALERTS_QUEUE, 10)).isEmpty();
    }

    @Test
    void shipmentsBecomeNotificationDocuments() {
        long recorded = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(KAFKA)) {
            producer.send(new ProducerRecord<>(NAMES.shipmentEventsTopic(), null, recorded, "o-9",
                    "{\"shipmentId\":\"s-9\",\"orderId\":\"o-9\",\"status\":\"IN_TRANSIT\",\"eta\":\"2026-12-01T12:00:00+02:00\"}"));
            producer.send(new ProducerRecord<>(NAMES.shipmentEventsTopic(), "o-10", "{\"orderId\":\"o-10\"}"));
        }
        List<ConsumerRecord<String, String>> notifications = read(NAMES.notificationsTopic(), 1);
        assertThat(notifications).extracting(ConsumerRecord::key).containsExactly("s-9");
        assertThat(notifications.get(0).value()).isEqualTo("{\"shipmentId\":\"s-9\",\"orderId\":\"o-9\","
                + "\"status\":\"in_transit\",\"eta\":\"2026-12-01T10:00:00Z\",\"eventTime\":\"" + Instant.ofEpochMilli(recorded) + "\"}");
        assertThat(read(NAMES.shipmentEventsTopic() + ".DLT", 1)).singleElement().satisfies(dead -> {
            assertThat(dead.key()).isEqualTo("o-10");
            assertThat(KafkaRecords.header(dead, "x-error-message")).isEqualTo("no 'shipmentId' field");
        });
    }

    /** Exactly {@code expected} records, and nothing more within a second. */
    private static List<ConsumerRecord<String, String>> read(String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(KAFKA, topic)) {
            List<ConsumerRecord<String, String>> records = KafkaRecords.pollUntil(consumer, expected, Duration.ofSeconds(60));
            records.addAll(KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(1)));
            assertThat(records).as(topic).hasSize(expected);
            return records;
        }
    }
}
