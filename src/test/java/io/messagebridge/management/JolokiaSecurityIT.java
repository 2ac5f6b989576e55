package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.PrivateFiles;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.RawHttp;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jolokia as the running application serves it, with a password from the secrets file: it reads anything and runs
 * the bridge's own operations, but not Camel's or the JDK's; it answers no page of a foreign origin, no request
 * addressed to a name other than this machine's own (DNS rebinding), and nobody without the password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JolokiaSecurityIT {

    private static final String PASSWORD = "j0lokia-s3cret";
    private static final String CONTEXT = "org.apache.camel:context=rabbitmq-kafka-bridge,type=context,"
            + "name=\"rabbitmq-kafka-bridge\"";
    private static final String ORDERS_ROUTE =
            "org.apache.camel:context=rabbitmq-kafka-bridge,type=routes,name=\"orders-to-kafka\"";
    private static final String ORDERS_BRIDGE = "io.messagebridge:type=Bridge,name=\"orders-to-kafka\"";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final String injected = "jolokia-injected-" + names.suffix();
    private int port;
    private RabbitMq rabbit;
    private BridgeProcess bridge;

    @BeforeAll
    void start(@TempDir Path dir) {
        Map<String, String> env = names.provision(kafka);
        env.put("BRIDGE_JOLOKIA_ENABLED", "true");
        env.put("BRIDGE_SECRETS_FILE",
                PrivateFiles.write(dir.resolve("secrets.properties"), "bridge.jolokia.password=" + PASSWORD + "\n")
                        .toString());
        port = Integer.parseInt(env.get("BRIDGE_MANAGEMENT_PORT"));
        rabbit = new RabbitMq();
        rabbit.forgetPipeline(names);
        rabbit.declareBoundQueue(injected, injected, "#");
        bridge = new BridgeProcess("jolokia-" + names.suffix(), env).startAndAwaitRoutes();
    }

    @AfterAll
    void stop() {
        bridge.stop();
        rabbit.close();
    }

    @Test
    void onlyTheRightCredentialsGetIn() throws Exception {
        HttpResponse<String> anonymous = send(post(read(ORDERS_ROUTE, "State")));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic realm="));
        assertThat(send(post(read(ORDERS_ROUTE, "State")).header("Authorization", basic("operator", "wrong")))
                .statusCode()).isEqualTo(401);
        assertThat(send(post(read(ORDERS_ROUTE, "State")).header("Authorization", basic("someone", PASSWORD)))
                .statusCode()).isEqualTo(401);

        HttpResponse<String> operator = send(authorized(post(read(ORDERS_ROUTE, "State"))));
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(operator.body()).path("value").asText()).isEqualTo("Started");
        assertThat(bridge.log()).noneMatch(line -> line.contains(PASSWORD));
    }

    @Test
    void aPageOfAForeignOriginIsRefused() throws Exception {
        for (Map.Entry<String, String> foreign : Map.of("Origin", "http://evil.example",
                "Referer", "http://evil.example/attack.html").entrySet()) {
            HttpResponse<String> refused = send(authorized(post(read(ORDERS_ROUTE, "State")))
                    .header(foreign.getKey(), foreign.getValue()));
            assertThat(refused.statusCode()).as(foreign.getKey()).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo(
                    "a page of http://evil.example may not call Jolokia (bridge.jolokia.allowed-origins)");
        }
        assertThat(send(authorized(post(read(ORDERS_ROUTE, "State"))).header("Origin", "null")).statusCode())
                .as("a sandboxed or local-file page").isEqualTo(403);
        assertThat(send(authorized(get("read/" + ORDERS_ROUTE + "/State")).header("Sec-Fetch-Site", "cross-site"))
                .statusCode()).as("a browser request from another site that hides its origin").isEqualTo(403);

        HttpResponse<String> local = send(authorized(post(read(ORDERS_ROUTE, "State")))
                .header("Origin", "http://localhost:8080"));
        assertThat(local.statusCode()).as("a page on this machine, Hawtio's say").isEqualTo(200);
        assertThat(JSON.readTree(local.body()).path("value").asText()).isEqualTo("Started");
    }

    @Test
    void aRequestAddressedToAnotherHostNameIsRefused() throws IOException {
        // what a page of evil.example sends once its DNS name points at 127.0.0.1 (DNS rebinding): same-origin, no Origin
        assertThat(statusLineFor("evil.example:" + port)).contains(" 403 ");
        assertThat(statusLineFor("localhost:" + port)).contains(" 200 ");
    }

    @Test
    void camelsSendOperationsAndTheJdksDiagnosticsAreRefusedAndNothingIsSent() throws Exception {
        String endpoint = "spring-rabbitmq:" + injected + "?routingKey=order.injected";
        ArrayNode requests = JSON.createArrayNode()
                .add(exec(CONTEXT, "sendStringBody(java.lang.String,java.lang.String)", endpoint, "{\"orderId\":\"x\"}"))
                .add(exec(CONTEXT, "sendBody(java.lang.String,java.lang.Object)", endpoint, "{\"orderId\":\"y\"}"))
                .add(exec(ORDERS_ROUTE, "stop()"))
                .add(exec("java.lang:type=Memory", "gc()"))
                .add(exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap(java.lang.String,boolean)",
                        "/tmp/bridge-heap-" + names.suffix() + ".hprof", "true"))
                .add(JSON.createObjectNode().put("type", "write").put("mbean", "java.lang:type=Memory")
                        .put("attribute", "Verbose").put("value", true));
        HttpResponse<String> response = send(authorized(post(requests)));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answers = JSON.readTree(response.body());
        assertThat(answers).hasSize(requests.size()).allSatisfy(answer -> {
            assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(403);
            assertThat(answer.path("error").asText()).contains(" forbidden for MBean ");
        });
        Awaitility.await("nothing sent").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> rabbit.messageCount(injected) == 0);
        assertThat(value(read(ORDERS_ROUTE, "State"))).isEqualTo("Started");
        assertThat(Path.of("/tmp/bridge-heap-" + names.suffix() + ".hprof")).doesNotExist();
    }

    @Test
    void readsAndTheBridgesOwnOperationsStillWork() throws Exception {
        assertThat(value(read(ORDERS_ROUTE, "State"))).isEqualTo("Started");
        HttpResponse<String> byGet = send(authorized(get("read/" + ORDERS_BRIDGE + "/RouteId")));
        assertThat(JSON.readTree(byGet.body()).path("value").asText()).isEqualTo("orders-to-kafka");

        assertThat(JSON.readTree(send(authorized(post(exec(ORDERS_BRIDGE, "pause()")))).body()).path("status").asInt())
                .isEqualTo(200);
        assertThat(value(read(ORDERS_BRIDGE, "State"))).isEqualTo("Suspended");
        assertThat(value(read(ORDERS_ROUTE, "State"))).isEqualTo("Suspended");
        assertThat(JSON.readTree(send(authorized(post(exec(ORDERS_BRIDGE, "resume()")))).body()).path("status").asInt())
                .isEqualTo(200);
        assertThat(value(read(ORDERS_BRIDGE, "State"))).isEqualTo("Started");
    }

    private String value(JsonNode request) throws Exception {
        HttpResponse<String> response = send(authorized(post(request)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("status").asInt()).as(response.body()).isEqualTo(200);
        return answer.path("value").asText();
    }

    private static ObjectNode read(String mbean, String attribute) {
        return JSON.createObjectNode().put("type", "read").put("mbean", mbean).put("attribute", attribute);
    }

    private static ObjectNode exec(String mbean, String operation, String... arguments) {
        ObjectNode request = JSON.createObjectNode().put("type", "exec").put("mbean", mbean).put("operation", operation);
        ArrayNode args = request.putArray("arguments");
        for (String argument : arguments) {
            args.add(argument);
        }
        return request;
    }

    private HttpRequest.Builder post(JsonNode body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/jolokia/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private HttpRequest.Builder get(String jolokiaPath) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/jolokia/"
                + jolokiaPath.replace("\"", "%22")));
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return request.header("Authorization", basic("operator", PASSWORD));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String statusLineFor(String host) throws IOException {
        return RawHttp.statusLine(port, host, "/observe/jolokia/version",
                "Authorization: " + basic("operator", PASSWORD));
    }
}
