package io.messagebridge.routefiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload in the packaged application (dev profile), with a routes folder of its own: a new bridge file starts
 * carrying messages, a change takes effect with messages in flight and none lost, a broken file is rejected with one
 * line and the previous routes keep running, and deleting a file removes its routes and nothing else.
 */
class ReloadIT {

    private static final int IN_FLIGHT = 300;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final String exchange = "invoices-" + names.suffix();
    private final String queue = "invoices.to-kafka-" + names.suffix();
    private final String topic = "invoices-" + names.suffix();
    @TempDir
    Path workingDirectory;
    private Path routes;
    private RabbitMq rabbit;
    private BridgeProcess bridge;

    @BeforeEach
    void startBridge() throws IOException {
        routes = Files.createDirectories(workingDirectory.resolve("routes"));
        Files.copy(Path.of("routes/orders-audit.yaml"), routes.resolve("orders-audit.yaml"));
        rabbit = new RabbitMq();
        rabbit.forgetPipeline(names);
        rabbit.forget(queue, exchange);
        rabbit.forget(queue + ".dlq", null);
        Map<String, String> env = new HashMap<>(names.provision(kafka));
        kafka.createTopics(topic);
        env.put("CAMEL_MAIN_PROFILE", "dev");
        bridge = new BridgeProcess("reload-" + names.suffix(), env).workingDirectory(workingDirectory).startAndAwaitRoutes();
    }

    @AfterEach
    void stopBridge() {
        bridge.stop();
        rabbit.close();
    }

    private String invoices(int prefetch) {
        return """
                - templatedRoute:
                    routeTemplateRef: rabbitmq-to-kafka
                    routeId: invoices-to-kafka
                    parameters:
                      - { name: exchange, value: %s }
                      - { name: queue, value: %s }
                      - { name: bindingKey, value: "invoice.#" }
                      - { name: topic, value: %s }
                      - { name: keyField, value: orderId }
                      - { name: prefetch, value: "%d" }
                """.formatted(exchange, queue, topic, prefetch);
    }

    /** Written whole and then moved in, as editors save, so the watcher never sees half a file. */
    private void write(String name, String content) throws IOException {
        Path temporary = Files.writeString(workingDirectory.resolve(name + ".tmp"), content);
        Files.move(temporary, routes.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private void awaitLog(String text, int times) {
        Awaitility.await(text).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> bridge.log().stream().filter(l -> l.contains(text)).count() >= times);
    }

    private void publish(int from, int to) {
        for (int i = from; i < to; i++) {
            rabbit.publish(exchange, "invoice.created", RabbitMq.persistentJson("i-" + i, null, Map.of()),
                    Traffic.order("i-" + i).getBytes(StandardCharsets.UTF_8));
        }
        rabbit.awaitConfirms();
    }

    /** The distinct keys on the topic, once there are {@code expected} (redelivered copies count once). */
    private Set<String> keysOnTopic(int expected) {
        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(kafka, topic)) {
            Set<String> keys = new HashSet<>();
            Awaitility.await(expected + " distinct keys on " + topic).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(100)).forEach(record -> keys.add(record.key()));
                        return keys.size() >= expected;
                    });
            KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(1)).forEach(record -> keys.add(record.key()));
            return keys;
        }
    }

    @Test
    void routeFilesAreAddedChangedRejectedAndDeletedWhileTheRestRuns() throws IOException {
        // add: a new bridge of about ten lines starts carrying messages
        write("invoices.yaml", invoices(10));
        awaitLog("Reloaded " + routes.resolve("invoices.yaml"), 1);
        publish(0, 20);
        assertThat(keysOnTopic(20)).hasSize(20);

        // change, with messages in flight: none lost (at least once: a redelivered one may come twice)
        publish(20, 20 + IN_FLIGHT);
        write("invoices.yaml", invoices(50));
        awaitLog("Reloaded " + routes.resolve("invoices.yaml"), 2);
        assertThat(keysOnTopic(20 + IN_FLIGHT)).hasSize(20 + IN_FLIGHT);

        // broken: rejected with one line naming file and line, and the running bridge keeps running (the audit route
        // too, whose id the clashing file asks for)
        write("invoices.yaml", invoices(50).replace("keyField, value: orderId }", "keyField, value: orderId"));
        write("endpoint.yaml", """
                - route:
                    id: endpoint
                    from:
                      uri: "nosuchcomponent:in"
                      steps:
                        - log: never
                """);
        write("params.yaml", invoices(50).replace("invoices-to-kafka", "params").replaceAll(" *- \\{ name: topic.*\\n", ""));
        write("clash.yaml", invoices(50).replace("invoices-to-kafka", "orders-audit"));
        awaitLog("Route file rejected", 4);
        assertThat(bridge.log()).filteredOn(l -> l.contains("Route file rejected"))
                .anySatisfy(l -> assertThat(l).contains(routes.resolve("invoices.yaml") + ":"))
                .anySatisfy(l -> assertThat(l).contains(routes.resolve("endpoint.yaml") + ":4: ").contains("nosuchcomponent"))
                .anySatisfy(l -> assertThat(l).contains(routes.resolve("params.yaml") + ":2: ").contains("topic"))
                .anySatisfy(l -> assertThat(l).contains(routes.resolve("clash.yaml") + ":3: ")
                        .contains("route id orders-audit is already used"));
        publish(400, 410);
        assertThat(keysOnTopic(20 + IN_FLIGHT + 10)).contains("i-400", "i-409");

        // delete: only that file's routes go; the audit route and the Java routes keep running
        Files.delete(routes.resolve("invoices.yaml"));
        awaitLog("removed its routes [invoices-to-kafka]", 1);
        publish(500, 505);
        Awaitility.await("invoices wait in their queue, unconsumed").atMost(Duration.ofSeconds(30))
                .until(() -> rabbit.messageCount(queue) == 5);
        rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("after-delete", null, Map.of()),
                Traffic.order("o-after-delete").getBytes(StandardCharsets.UTF_8));
        rabbit.awaitConfirms();
        try (KafkaConsumer<String, String> audit = KafkaRecords.consumer(kafka, names.auditTopic());
             KafkaConsumer<String, String> orders = KafkaRecords.consumer(kafka, names.ordersTopic())) {
            assertThat(KafkaRecords.pollUntil(audit, 1, Duration.ofSeconds(30))).extracting(ConsumerRecord::key)
                    .containsExactly("o-after-delete");
            assertThat(KafkaRecords.pollUntil(orders, 1, Duration.ofSeconds(30))).extracting(ConsumerRecord::key)
                    .containsExactly("o-after-delete");
        }
        assertThat(bridge.isAlive()).isTrue();
    }
}
