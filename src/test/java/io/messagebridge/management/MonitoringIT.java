package io.messagebridge.management;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What an operator's Prometheus and Grafana see, from the real process: a paused route's RabbitMQ queue depth and
 * Kafka consumer lag count exactly the messages waiting, in Prometheus and on its MBean, and fall back to 0 once it
 * resumes and delivers them; while Kafka is down the lag keeps its last value and its age grows; every metric and label the Grafana dashboard queries is one the application exports,
 * read at the path Prometheus scrapes (monitoring/prometheus.yml).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final String notifications = "notifications-monitoring-" + names.suffix();
    private String base;
    private RabbitMq rabbit;
    private BridgeProcess bridge;

    @BeforeAll
    void start() {
        rabbit = new RabbitMq();
        rabbit.declareBoundQueue(notifications, names.notificationsExchange(), "shipment.#");
        rabbit.forgetPipeline(names);
        Map<String, String> env = names.provision(kafka);
        env.put("BRIDGE_LAG_SAMPLE_INTERVAL_MS", "300");
        env.put("BRIDGE_JOLOKIA_ENABLED", "true");
        base = "http://127.0.0.1:" + env.get("BRIDGE_MANAGEMENT_PORT");
        bridge = new BridgeProcess("monitoring-" + names.suffix(), env).startAndAwaitRoutes();
    }

    @AfterAll
    void stop() {
        bridge.stop();
        rabbit.close();
    }

    @Test
    @Order(1)
    void aPausedRabbitMqRouteShowsItsQueueDepthUntilItDrains() throws Exception {
        String queue = names.ordersQueue();
        Awaitility.await("sampled while idle").atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(sample("bridge_queue_depth", "orders-to-kafka", "queue=\"" + queue + "\"")).isZero();
            assertThat(sample("bridge_queue_consumers", "orders-to-kafka", "queue=\"" + queue + "\"")).isEqualTo(1);
        });
        jolokia("exec", "orders-to-kafka", "pause()");
        for (int i = 0; i < 5; i++) {
            rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("q-" + i, null, Map.of()),
                    Traffic.order("q-" + i).getBytes(StandardCharsets.UTF_8));
        }
        rabbit.awaitConfirms();
        Awaitility.await("5 orders waiting").atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(sample("bridge_queue_depth", "orders-to-kafka", "queue=\"" + queue + "\"")).isEqualTo(5);
            assertThat(sample("bridge_queue_consumers", "orders-to-kafka", "queue=\"" + queue + "\"")).isZero();
            assertThat(jolokia("read", "orders-to-kafka", "QueueDepth").asLong()).isEqualTo(5);
        });
        assertThat(jolokia("read", "orders-to-kafka", "ConsumerLag").asLong()).as("not a Kafka route").isEqualTo(-1);
        assertThat(jolokia("read", "orders-to-kafka", "BacklogSampledAt").asText()).matches("\\d{4}-.*Z");

        jolokia("exec", "orders-to-kafka", "resume()");
        try (KafkaConsumer<String, String> orders = KafkaRecords.consumer(kafka, names.ordersTopic())) {
            assertThat(KafkaRecords.pollUntil(orders, 5, TIMEOUT)).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder("q-0", "q-1", "q-2", "q-3", "q-4");
        }
        Awaitility.await("drained").atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(sample("bridge_queue_depth", "orders-to-kafka", "queue=\"" + queue + "\"")).isZero();
            assertThat(jolokia("read", "orders-to-kafka", "QueueDepth").asLong()).isZero();
        });
    }

    @Test
    @Order(2)
    void aPausedKafkaRouteShowsItsConsumerLagUntilItDelivers() throws Exception {
        jolokia("exec", "shipments-to-rabbitmq", "pause()");
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(names.shipmentsTopic(), "s-" + i, Traffic.shipment("s-" + i)));
            }
        }
        Awaitility.await("4 shipments behind").atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(lag("shipments-to-rabbitmq")).isEqualTo(4);
            assertThat(jolokia("read", "shipments-to-rabbitmq", "ConsumerLag").asLong()).isEqualTo(4);
        });
        assertThat(partitions(metrics(), "shipments-to-rabbitmq")).as("a gauge per partition (KafkaBroker makes 3)")
                .containsExactlyInAnyOrder("0", "1", "2");
        assertThat(sample("bridge_lag_sample_age_seconds", "shipments-to-rabbitmq", null)).isLessThan(TIMEOUT.toSeconds());

        jolokia("exec", "shipments-to-rabbitmq", "resume()");
        List<GetResponse> delivered = rabbit.drain(notifications, 4, TIMEOUT);
        assertThat(delivered).extracting(response -> new String(response.getBody(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder(Traffic.shipment("s-0"), Traffic.shipment("s-1"), Traffic.shipment("s-2"),
                        Traffic.shipment("s-3"));
        Awaitility.await("caught up").atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(lag("shipments-to-rabbitmq")).isZero();
            assertThat(jolokia("read", "shipments-to-rabbitmq", "ConsumerLag").asLong()).isZero();
        });
    }

    @Test
    @Order(3)
    void whileKafkaIsDownTheLagKeepsItsLastValueAndItsAgeGrows() throws Exception {
        try {
            kafka.stop();
            // said once the first sample's requests time out
            Awaitility.await("stale").atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(sample("bridge_lag_sample_age_seconds", "shipments-to-rabbitmq", null)).isGreaterThan(3);
                assertThat(bridge.log()).anyMatch(line -> line.contains("WARN")
                        && line.contains("Kafka consumer lag not sampled"));
            });
            assertThat(lag("shipments-to-rabbitmq")).as("the last value read").isZero();
            assertThat(sample("bridge_lag_sample_age_seconds", "orders-to-kafka", null)).as("RabbitMQ's still sampled")
                    .isLessThan(TIMEOUT.toSeconds());
        } finally {
            kafka.start();
        }
        Awaitility.await("fresh again").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(sample("bridge_lag_sample_age_seconds", "shipments-to-rabbitmq", null)).isLessThan(3);
            assertThat(bridge.log()).anyMatch(line -> line.contains("Kafka consumer lag sampled again"));
        });
    }

    @Test
    @Order(4)
    void everyMetricAndLabelTheDashboardQueriesIsExported() throws Exception {
        // one dead letter, so that every route's meters have seen traffic of each kind
        rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("bad", null, Map.of()),
                "not json".getBytes(StandardCharsets.UTF_8));
        rabbit.awaitConfirms();
        Awaitility.await("dead letter counted").atMost(TIMEOUT).untilAsserted(() ->
                assertThat(sample("bridge_messages_dead_lettered_total", "orders-to-kafka", null)).isEqualTo(1));

        Map<String, Set<String>> exported = DashboardQueries.exported(scrape());
        DashboardQueries dashboard = DashboardQueries.read(DashboardQueries.DASHBOARD);
        assertThat(dashboard.metrics()).contains("bridge_messages_forwarded_total", "bridge_messages_dead_lettered_total",
                "bridge_messages_redelivered_total", "bridge_consumer_lag", "bridge_queue_depth",
                "bridge_exchanges_inflight", "camel_route_policy_seconds_sum", "jvm_memory_used_bytes");
        for (DashboardQueries.Query query : dashboard.queries()) {
            // Prometheus adds these to every sample it scrapes
            Set<String> labels = new HashSet<>(Set.of("instance", "job"));
            for (DashboardQueries.Selector selector : query.selectors()) {
                assertThat(exported).as("metrics exported, for %s", query.expr()).containsKey(selector.metric());
                assertThat(exported.get(selector.metric())).as("labels of %s in %s", selector.metric(), query.expr())
                        .containsAll(selector.labels());
                labels.addAll(exported.get(selector.metric()));
            }
            assertThat(labels).as("labels grouped by in %s", query.expr()).containsAll(query.grouping());
        }
    }

    /** The metrics as Prometheus scrapes them: the path of monitoring/prometheus.yml. */
    @SuppressWarnings("unchecked")
    private String scrape() throws IOException, InterruptedException {
        Map<String, Object> config = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("monitoring/prometheus.yml")));
        Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).get(0);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + job.get("metrics_path")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("scrape").isEqualTo(200);
        return response.body();
    }

    private String metrics() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of one sample of a route, or -1 when it is absent. */
    private double sample(String metric, String routeId, String otherLabel) throws IOException, InterruptedException {
        Matcher matcher = Pattern.compile("(?m)^" + metric + "\\{(?=[^}]*routeId=\"" + Pattern.quote(routeId) + "\")"
                + (otherLabel == null ? "" : "(?=[^}]*" + Pattern.quote(otherLabel) + ")") + "[^}]*} (\\S+)$")
                .matcher(metrics());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    /** bridge_consumer_lag summed over the route's partitions, or -1 when none is exported yet. */
    private long lag(String routeId) throws IOException, InterruptedException {
        Matcher matcher = Pattern.compile("(?m)^bridge_consumer_lag\\{(?=[^}]*routeId=\"" + Pattern.quote(routeId)
                + "\")[^}]*} (\\S+)$").matcher(metrics());
        long sum = -1;
        while (matcher.find()) {
            sum = Math.max(sum, 0) + (long) Double.parseDouble(matcher.group(1));
        }
        return sum;
    }

    private static Set<String> partitions(String metrics, String routeId) {
        Matcher matcher = Pattern.compile("(?m)^bridge_consumer_lag\\{(?=[^}]*routeId=\"" + Pattern.quote(routeId)
                + "\")[^}]*partition=\"(\\d+)\"").matcher(metrics);
        Set<String> partitions = new HashSet<>();
        while (matcher.find()) {
            partitions.add(matcher.group(1));
        }
        return partitions;
    }

    /** A Jolokia read of a Bridge MBean's attribute, or a call of its operation; the answer's value. */
    private JsonNode jolokia(String type, String routeId, String what) throws IOException, InterruptedException {
        String mbean = "io.messagebridge:type=Bridge,name=\"" + routeId + "\"";
        String body = JSON.createObjectNode().put("type", type).put("mbean", mbean)
                .put(type.equals("read") ? "attribute" : "operation", what).toString();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/observe/jolokia/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("status").asInt()).as("Jolokia %s %s: %s", type, what, response.body()).isEqualTo(200);
        return answer.path("value");
    }
}
