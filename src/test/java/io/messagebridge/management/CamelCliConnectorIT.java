package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.RawHttp;
import io.messagebridge.harness.Traffic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In the dev profile ({@code bridge.cli-connector.enabled=true}) the running jar publishes what Camel JBang's {@code camel get} and
 * {@code camel top} read (~/.camel/&lt;pid&gt;-status.json: its routes, their state and statistics, passwords masked)
 * and obeys an action file written as {@code camel cmd stop-route} / {@code start-route} write it; deleting its
 * ~/.camel/&lt;pid&gt; file ({@code camel stop}) stops it. Its developer console answers at /q/dev, without
 * secrets, and only requests addressed to this machine and from no foreign page. Outside the dev profile it writes
 * nothing to ~/.camel.
 */
class CamelCliConnectorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "jolokia-secret-4711";
    /** Two applications start at once, on 2 cores. */
    private static final Duration TWO_STARTS = Duration.ofSeconds(120);

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final FlowNames quietNames = FlowNames.unique();

    @Test
    void camelJBangAndTheDeveloperConsoleSeeTheRoutesAndStopAndStartOne(@TempDir Path home, @TempDir Path quietHome)
            throws Exception {
        Map<String, String> env = names.provision(kafka);
        env.put("CAMEL_MAIN_PROFILE", "dev");
        env.put("BRIDGE_JOLOKIA_PASSWORD", SECRET);
        try (RabbitMq rabbit = new RabbitMq();
             BridgeProcess bridge = new BridgeProcess("cli-" + names.suffix(), env)
                     .jvmArguments("-Duser.home=" + home).start();
             BridgeProcess quiet = new BridgeProcess("cli-off-" + quietNames.suffix(), quietNames.provision(kafka))
                     .jvmArguments("-Duser.home=" + quietHome).startAndAwaitRoutes(TWO_STARTS);
             KafkaConsumer<String, String> orders = KafkaRecords.consumer(kafka, names.ordersTopic())) {
            rabbit.forgetPipeline(names);
            rabbit.forgetPipeline(quietNames);
            Path camelDir = home.resolve(".camel");
            Path status = camelDir.resolve(bridge.pid() + "-status.json");
            // Java and YAML routes, bridges and patterns, each as camel get route lists it
            List<String> routeIds = List.of("orders-to-kafka", "shipments-to-rabbitmq", "orders-audit", "order-lines");
            Awaitility.await("routes started, in " + status).atMost(TWO_STARTS).until(() -> routeIds.stream()
                    .allMatch(id -> "Started".equals(route(status, id).path("state").asText())));

            publishOrders(rabbit, "cli-1", "cli-2");
            assertThat(KafkaRecords.pollUntil(orders, 2, Duration.ofSeconds(30))).extracting(ConsumerRecord::key,
                    ConsumerRecord::value).containsExactlyInAnyOrder(
                            tuple("cli-1", Traffic.order("cli-1")),
                            tuple("cli-2", Traffic.order("cli-2")));
            Awaitility.await("the batch counted in the status").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(route(status, "orders-to-kafka").path("statistics").path("exchangesTotal").asLong())
                            .isPositive());
            assertThat(Files.readString(status)).contains("bridge.jolokia.password").doesNotContain(SECRET);
            int port = Integer.parseInt(env.get("BRIDGE_MANAGEMENT_PORT"));
            HttpResponse<String> routesPage = devConsole(port, "route", "Accept", "application/json");
            assertThat(routesPage.statusCode()).isEqualTo(200);
            assertThat(routesPage.body()).contains("\"routeId\":\"orders-to-kafka\"");
            assertThat(devConsole(port, "properties", "Accept", "application/json").body())
                    .contains("bridge.jolokia.password").doesNotContain(SECRET);
            assertThat(devConsole(port, "route?action=stop", "Origin", "http://evil.example").statusCode())
                    .as("a foreign page").isEqualTo(403);
            assertThat(RawHttp.statusLine(port, "evil.example", "/q/dev/route?action=stop"))
                    .as("a name rebound to 127.0.0.1").isEqualTo("HTTP/1.1 403 Forbidden");

            action(camelDir, bridge, "stop");
            Awaitility.await("orders-to-kafka stopped").atMost(Duration.ofSeconds(30))
                    .until(() -> "Stopped".equals(route(status, "orders-to-kafka").path("state").asText()));
            assertThat(camelDir.resolve(bridge.pid() + "-action.json")).as("the action is taken once").doesNotExist();
            publishOrders(rabbit, "cli-3");
            assertThat(KafkaRecords.pollQuietly(orders, Duration.ofSeconds(2))).as("nothing while stopped").isEmpty();

            action(camelDir, bridge, "start");
            List<ConsumerRecord<String, String>> after = KafkaRecords.pollUntil(orders, 1, Duration.ofSeconds(30));
            assertThat(after).extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple("cli-3", Traffic.order("cli-3")));
            assertThat(KafkaRecords.header(after.get(0), "message-id")).isEqualTo("cli-3");

            Files.delete(camelDir.resolve(Long.toString(bridge.pid())));
            assertThat(bridge.waitForExit(Duration.ofSeconds(60))).as("camel stop").isZero();
            assertThat(quietHome.resolve(".camel")).as("off by default").doesNotExist();
            assertThat(quiet.isAlive()).isTrue();
        }
    }

    private static HttpResponse<String> devConsole(int port, String path, String header, String value)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/dev/" + path))
                .header(header, value).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void publishOrders(RabbitMq rabbit, String... ids) {
        for (String id : ids) {
            rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson(id, null, Map.of()),
                    Traffic.order(id).getBytes(StandardCharsets.UTF_8));
        }
        rabbit.awaitConfirms();
    }

    /** What {@code camel cmd stop-route --id=orders-to-kafka} (or start-route) writes. */
    private static void action(Path camelDir, BridgeProcess bridge, String command) throws IOException {
        Files.writeString(camelDir.resolve(bridge.pid() + "-action.json"),
                "{\"action\":\"route\",\"command\":\"" + command + "\",\"id\":\"orders-to-kafka\"}");
    }

    private static JsonNode route(Path status, String routeId) {
        for (JsonNode route : status(status).path("routes")) {
            if (routeId.equals(route.path("routeId").asText())) {
                return route;
            }
        }
        return JSON.missingNode();
    }

    /** The status file, read again until it is whole: the connector rewrites it in place every second. */
    private static JsonNode status(Path status) {
        JsonNode[] whole = new JsonNode[1];
        Awaitility.await("a whole " + status).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> (whole[0] = JSON.readTree(status.toFile())).has("routes"));
        return whole[0];
    }
}
