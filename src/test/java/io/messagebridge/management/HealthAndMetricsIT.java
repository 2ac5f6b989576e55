package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.Observe;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Readiness follows the brokers; Prometheus metrics count the traffic sent. */
class HealthAndMetricsIT {

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();

    @Test
    void readinessFollowsKafkaAndMetricsCountTheTraffic() throws Exception {
        Map<String, String> env = names.provision(kafka);
        env.put("BRIDGE_HEALTH_CHECK_INTERVAL_MS", "500");
        Observe observe = Observe.of(env);
        try (RabbitMq rabbit = new RabbitMq();
             BridgeProcess bridge = new BridgeProcess("health-" + names.suffix(), env).startAndAwaitRoutes()) {
            rabbit.forgetPipeline(names);
            Awaitility.await("ready").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(observe.body("health/ready")).startsWith("{\"status\":\"UP\""));

            for (int i = 0; i < 50; i++) {
                rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("h-" + i, null, Map.of()),
                        Traffic.order("h-" + i).getBytes(StandardCharsets.UTF_8));
            }
            rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("h-bad", null, Map.of()),
                    "not json".getBytes(StandardCharsets.UTF_8));
            rabbit.awaitConfirms();
            try (KafkaConsumer<String, String> orders = KafkaRecords.consumer(kafka, names.ordersTopic())) {
                assertThat(KafkaRecords.pollUntil(orders, 50, Duration.ofSeconds(30))).hasSize(50);
            }
            Awaitility.await("metrics").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(observe.bridgeCounter("bridge_messages_forwarded_total", "orders-to-kafka")).isEqualTo(50);
                assertThat(observe.bridgeCounter("bridge_messages_dead_lettered_total", "orders-to-kafka")).isEqualTo(1);
                assertThat(observe.routeCounter("camel_exchanges_total", "orders-to-kafka")).as("batches").isPositive();
                assertThat(observe.body("metrics")).contains("jvm_memory_used_bytes");
            });

            kafka.stop();
            Awaitility.await("not ready without Kafka").atMost(Duration.ofSeconds(30))
                    .until(() -> observe.status("health/ready") == 503);
            assertThat(observe.body("health/ready")).contains("DOWN");
            assertThat(observe.status("health/live")).as("alive all the same").isEqualTo(200);
            kafka.start();
            Awaitility.await("ready again").atMost(Duration.ofSeconds(60)).until(() -> observe.status("health/ready") == 200);
        } finally {
            kafka.start();
        }
    }
}
