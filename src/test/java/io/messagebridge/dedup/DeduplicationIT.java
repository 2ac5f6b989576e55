package io.messagebridge.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.Observe;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** With bridge.dedup.enabled, a message whose id was delivered before is not delivered again. */
class DeduplicationIT {

    private static final int MESSAGES = 20_000;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();

    @Test
    void redeliveredIdsAreDroppedInBothDirectionsAndMessagesWithoutIdsNever() {
        Map<String, String> env = names.provision(kafka);
        env.put("BRIDGE_DEDUP_ENABLED", "true");
        try (Traffic traffic = new Traffic(kafka, names, 200);
             BridgeProcess bridge = new BridgeProcess("dedup-" + names.suffix(), env).startAndAwaitRoutes()) {
            traffic.fill();
            traffic.awaitAll(Duration.ofSeconds(60));
            // an id is remembered once its destination has answered, a moment after a reader can see the message
            Observe observe = Observe.of(env);
            Awaitility.await("200 forwarded each way").atMost(Duration.ofSeconds(30)).until(() ->
                    observe.bridgeCounter("bridge_messages_forwarded_total", "orders-to-kafka") == 200
                            && observe.bridgeCounter("bridge_messages_forwarded_total", "shipments-to-rabbitmq") == 200);
            // the same ids again, as a source would redeliver them, plus messages that carry no id at all
            traffic.fill();
            publishOrdersWithoutId(10);
            publishOrdersWithoutId(10);

            try (KafkaConsumer<String, String> orders = KafkaRecords.consumer(kafka, names.ordersTopic())) {
                List<ConsumerRecord<String, String>> records = KafkaRecords.pollUntil(orders, 220, Duration.ofSeconds(60));
                records.addAll(KafkaRecords.pollQuietly(orders, Duration.ofSeconds(3)));
                assertThat(records).filteredOn(r -> r.key().startsWith("o-")).hasSize(200);
                assertThat(records).filteredOn(r -> r.key().startsWith("no-id-")).hasSize(20);
            }
            traffic.awaitAll(Duration.ofSeconds(60));
            assertThat(traffic.notificationsDelivered()).isEqualTo(200);
            assertThat(traffic.notificationDuplicates()).as(traffic.report()).isZero();
            bridge.stop();
        }
    }

    @Test
    void theKafkaRepositoryRemembersAcrossRestarts() {
        Map<String, String> env = names.provision(kafka);
        env.put("BRIDGE_DEDUP_ENABLED", "true");
        env.put("BRIDGE_DEDUP_REPOSITORY", "kafka");
        try (Traffic traffic = new Traffic(kafka, names, 100);
             BridgeProcess bridge = new BridgeProcess("dedup-kafka-" + names.suffix(), env).startAndAwaitRoutes()) {
            traffic.fill();
            traffic.awaitAll(Duration.ofSeconds(60));
            assertThat(bridge.stop()).isZero();

            bridge.startAndAwaitRoutes();
            traffic.fill();
            try (KafkaConsumer<String, String> orders = KafkaRecords.consumer(kafka, names.ordersTopic())) {
                List<ConsumerRecord<String, String>> records = KafkaRecords.pollUntil(orders, 100, Duration.ofSeconds(60));
                records.addAll(KafkaRecords.pollQuietly(orders, Duration.ofSeconds(5)));
                assertThat(records).as("orders after a restart and the same ids again").hasSize(100);
            }
            traffic.awaitAll(Duration.ofSeconds(60));
            assertThat(traffic.notificationDuplicates()).as(traffic.report()).isZero();
            bridge.stop();
        }
    }

    @Test
    void noDuplicatesFromARabbitMqRestartMidStream() {
        Map<String, String> env = names.provision(kafka);
        env.put("BRIDGE_DEDUP_ENABLED", "true");
        try (Traffic traffic = new Traffic(kafka, names, MESSAGES);
             BridgeProcess bridge = new BridgeProcess("dedup-rabbitmq-" + names.suffix(), env)) {
            bridge.startAndAwaitRoutes().stop();
            traffic.fill();
            bridge.startAndAwaitRoutes();
            traffic.awaitProgress(MESSAGES / 10, Duration.ofSeconds(60));
            System.out.println("DeduplicationIT: RabbitMQ restart after " + traffic.report());
            RabbitMq.ctl("stop_app");
            RabbitMq.ctl("start_app");
            RabbitMq.ctl("await_startup");

            traffic.awaitAll(Duration.ofMinutes(4));
            System.out.println("DeduplicationIT: " + traffic.report());
            assertThat(traffic.ordersDelivered()).isEqualTo(MESSAGES);
            assertThat(traffic.notificationsDelivered()).isEqualTo(MESSAGES);
            assertThat(traffic.orderDuplicates()).as(traffic.report()).isZero();
            bridge.stop();
        }
    }

    private void publishOrdersWithoutId(int count) {
        try (RabbitMq rabbit = new RabbitMq()) {
            for (int i = 0; i < count; i++) {
                rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson(null, null, Map.of()),
                        Traffic.order("no-id-" + i).getBytes(StandardCharsets.UTF_8));
            }
            rabbit.awaitConfirms();
        }
    }
}
