package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.rabbitmq.client.GetResponse;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A normal shutdown (SIGTERM) in the middle of a stream, in both directions at once, loses nothing; after a restart
 * the rest arrives. Duplicates are allowed by the at-least-once contract; they are counted and reported.
 */
class RestartIT {

    private static final int MESSAGES = 20_000;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final String notificationsQueue = "notifications-restart-" + names.suffix();
    private RabbitMq rabbit;
    private BridgeProcess bridge;

    @BeforeEach
    void setUp() {
        rabbit = new RabbitMq();
        rabbit.declareBoundQueue(notificationsQueue, names.notificationsExchange(), "shipment.#");
        rabbit.forgetPipeline(names);
        bridge = new BridgeProcess("restart-" + names.suffix(), names.provision(kafka));
    }

    @AfterEach
    void tearDown() {
        bridge.stop();
        rabbit.close();
    }

    @Test
    void gracefulShutdownMidStreamLosesNothingAndTheRestArrivesAfterRestart() {
        bridge.startAndAwaitRoutes();
        for (int i = 0; i < MESSAGES; i++) {
            rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("m-" + i, null, Map.of()),
                    OrdersToKafkaIT.order("o-" + i).getBytes(StandardCharsets.UTF_8));
        }
        rabbit.awaitConfirms();
        try (KafkaProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(new ProducerRecord<>(names.shipmentsTopic(), "o-" + i,
                        "{\"orderId\":\"o-" + i + "\",\"status\":\"shipped\"}"));
            }
        }

        Set<String> orderKeys = new HashSet<>();
        List<String> orderArrivals = new ArrayList<>();
        Set<String> notificationIds = new HashSet<>();
        List<String> notificationArrivals = new ArrayList<>();
        try (KafkaConsumer<String, String> orders = KafkaRecords.consumer(kafka, names.ordersTopic())) {
            // stop while both directions are still moving
            Awaitility.await("both directions under way").atMost(Duration.ofSeconds(60)).until(() -> {
                collect(orders, orderKeys, orderArrivals);
                collectNotifications(notificationIds, notificationArrivals);
                return orderKeys.size() > 0 && notificationIds.size() > 0;
            });
            assertThat(bridge.stop()).as("exit code after SIGTERM").isZero();
            assertThat(bridge.log()).anyMatch(l -> l.contains("shutdown in"));
            collect(orders, orderKeys, orderArrivals);
            collectNotifications(notificationIds, notificationArrivals);
            int ordersAtStop = orderKeys.size();
            int notificationsAtStop = notificationIds.size();

            bridge.startAndAwaitRoutes();
            Awaitility.await("all messages after restart").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        collect(orders, orderKeys, orderArrivals);
                        collectNotifications(notificationIds, notificationArrivals);
                        return orderKeys.size() == MESSAGES && notificationIds.size() == MESSAGES;
                    });
            orderArrivals.addAll(KafkaRecords.pollQuietly(orders, Duration.ofSeconds(1)).stream()
                    .map(ConsumerRecord::key).toList());

            System.out.printf("RestartIT: stopped at %d/%d orders and %d/%d notifications; duplicates after restart: "
                    + "orders %d, notifications %d%n", ordersAtStop, MESSAGES, notificationsAtStop, MESSAGES,
                    orderArrivals.size() - MESSAGES, notificationArrivals.size() - MESSAGES);
            assertThat(ordersAtStop).as("stopped mid-stream").isLessThan(MESSAGES);
        }
        assertThat(orderKeys).hasSize(MESSAGES);
        assertThat(notificationIds).hasSize(MESSAGES);
        assertThat(rabbit.messageCount(names.ordersQueue())).isZero();
        assertThat(rabbit.messageCount(names.ordersQueue() + ".dlq")).isZero();
    }

    private static void collect(KafkaConsumer<String, String> consumer, Set<String> keys, List<String> arrivals) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
            keys.add(record.key());
            arrivals.add(record.key());
        }
    }

    private void collectNotifications(Set<String> ids, List<String> arrivals) {
        for (GetResponse message : rabbit.takeReady(notificationsQueue, 2_000)) {
            ids.add(message.getProps().getCorrelationId());
            arrivals.add(message.getProps().getCorrelationId());
        }
    }
}
