package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Readiness follows the brokers; Prometheus metrics count the traffic sent. */
class HealthAndMetricsIT {

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessFollowsKafkaAndMetricsCountTheTraffic() throws Exception {
        Map<String, String> env = names.provision(kafka);
        env.put("BRIDGE_HEALTH_CHECK_INTERVAL_MS", "500");
        String base = "http://127.0.0.1:" + env.get("BRIDGE_MANAGEMENT_PORT") + "/observe/";
        try (RabbitMq rabbit = new RabbitMq();
             BridgeProcess bridge = new BridgeProcess("health-" + names.suffix(), env).startAndAwaitRoutes()) {
            rabbit.forgetPipeline(names);
            Awaitility.await("ready").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(body(base + "health/ready")).startsWith("{\"status\":\"UP\""));

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
            Awaitility.await("metrics").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = body(base + "metrics");
                assertThat(counter(metrics, "camel_exchanges_total", "orders-to-kafka")).isEqualTo(51);
                assertThat(counter(metrics, "camel_exchanges_failures_handled_total", "orders-to-kafka")).isEqualTo(1);
                assertThat(metrics).contains("jvm_memory_used_bytes");
            });

            kafka.stop();
            Awaitility.await("not ready without Kafka").atMost(Duration.ofSeconds(30))
                    .until(() -> status(base + "health/ready") == 503);
            assertThat(body(base + "health/ready")).contains("DOWN");
            assertThat(status(base + "health/live")).as("alive all the same").isEqualTo(200);
            kafka.start();
            Awaitility.await("ready again").atMost(Duration.ofSeconds(60)).until(() -> status(base + "health/ready") == 200);
        } finally {
            kafka.start();
        }
    }

    /** The value of a counter for one route, e.g. camel_exchanges_total{...routeId="orders-to-kafka"} 51.0 */
    private static long counter(String metrics, String name, String routeId) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*eventType=\"route\"[^}]*routeId=\"" + routeId
                + "\"[^}]*} ([0-9.E]+)$").matcher(metrics);
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : -1;
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String body(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
