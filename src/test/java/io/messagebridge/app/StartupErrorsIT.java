package io.messagebridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.PrivateFiles;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What an operator sees when the configuration is wrong or a broker is not there. */
class StartupErrorsIT {

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();

    @Test
    void aNonNumericPortStopsStartUpWithOneLineNamingTheKeyAndTheValue() {
        Map<String, String> env = names.provision(kafka);
        env.put("RABBITMQ_PORT", "five-six-seven-two");
        try (BridgeProcess bridge = new BridgeProcess("bad-port-" + names.suffix(), env).start()) {
            assertThat(bridge.waitForExit(Duration.ofSeconds(60))).isEqualTo(2);
            List<String> errors = bridge.log().stream().filter(l -> l.contains("ERROR")).toList();
            assertThat(errors).singleElement().asString()
                    .contains("invalid setting rabbitmq.port='five-six-seven-two'")
                    .contains("not a whole number")
                    .contains("RABBITMQ_PORT");
            assertNoStackTrace(bridge);
        }
    }

    @Test
    void aBrokenRouteFileStopsStartUpWithOneLineNamingFileAndLine() throws Exception {
        Path workDir = Files.createTempDirectory(Path.of("target"), "workdir-");
        Files.createDirectory(workDir.resolve("routes"));
        Files.writeString(workDir.resolve("routes/typo.yaml"), """
                - route:
                    id: typo
                    from:
                      uri: direct:typo
                      steps:
                        - tooo: "kafka:x"
                """);
        try (BridgeProcess bridge = new BridgeProcess("typo-" + names.suffix(), names.provision(kafka))
                .workingDirectory(workDir).start()) {
            assertThat(bridge.waitForExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(bridge.log()).filteredOn(l -> l.contains("ERROR")).singleElement().asString()
                    .contains("route file routes/typo.yaml:6: Unknown node id: tooo")
                    .contains("validate");
            assertNoStackTrace(bridge);
        }
    }

    @Test
    void theWorkingDirectorysPropertiesOverrideTheBuiltInOnesAndTheEnvironmentOverridesBoth() throws Exception {
        Path workDir = Files.createTempDirectory(Path.of("target"), "workdir-");
        Files.writeString(workDir.resolve("application.properties"), "rabbitmq.port=not-a-port\n");
        Map<String, String> env = names.provision(kafka);
        try (BridgeProcess bridge = new BridgeProcess("no-routes-" + names.suffix(), env).workingDirectory(workDir).start()) {
            assertThat(bridge.waitForExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(bridge.log()).filteredOn(l -> l.contains("ERROR")).singleElement().asString()
                    .contains("file or folder not found: " + workDir.resolve("routes").toAbsolutePath());
        }
        Files.createDirectory(workDir.resolve("routes"));
        env.remove("RABBITMQ_PORT");
        try (BridgeProcess bridge = new BridgeProcess("workdir-" + names.suffix(), env).workingDirectory(workDir).start()) {
            assertThat(bridge.waitForExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(bridge.log()).anyMatch(l -> l.contains("invalid setting rabbitmq.port='not-a-port'"));
        }
        env.put("RABBITMQ_PORT", "5672");
        try (RabbitMq rabbit = new RabbitMq();
             BridgeProcess bridge = new BridgeProcess("workdir-env-" + names.suffix(), env).workingDirectory(workDir)) {
            rabbit.forgetPipeline(names);
            // an empty routes/ folder here, so only the Java DSL routes start
            bridge.startAndAwaitRoutes();
            assertThat(bridge.log()).anyMatch(l -> l.contains("Started orders-to-kafka"))
                    .noneMatch(l -> l.contains("orders-audit"));
        }
    }

    @Test
    void anUnreachableKafkaIsReportedOnceAndTheBridgeCarriesOnWhenItComesUp() throws Exception {
        int port = KafkaBroker.freePort();
        Map<String, String> env = new HashMap<>(names.provision(kafka));
        env.put("KAFKA_BROKERS", "127.0.0.1:" + port);
        // also the probe's timeout: shorter, and one slow answer on a busy machine would be reported as an outage
        env.put("BRIDGE_HEALTH_CHECK_INTERVAL_MS", "2000");
        try (RabbitMq rabbit = new RabbitMq();
             BridgeProcess bridge = new BridgeProcess("no-kafka-" + names.suffix(), env).startAndAwaitRoutes();
             KafkaBroker lateKafka = new KafkaBroker(Files.createTempDirectory(Path.of("target"), "kafka-late-"), port)) {
            rabbit.forgetPipeline(names);
            String unreachable = "Kafka unreachable at 127.0.0.1:" + port;
            Awaitility.await(unreachable).atMost(Duration.ofSeconds(30)).until(() -> count(bridge, unreachable) == 1);

            // an order sent meanwhile waits in RabbitMQ, then flows once Kafka is there
            rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("late-1", null, Map.of()),
                    "{\"orderId\":\"o-late\"}".getBytes(StandardCharsets.UTF_8));
            rabbit.awaitConfirms();
            lateKafka.start();
            Awaitility.await("Kafka reachable").atMost(Duration.ofSeconds(30))
                    .until(() -> count(bridge, "Kafka reachable at 127.0.0.1:" + port) == 1);
            try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(lateKafka, names.ordersTopic())) {
                List<ConsumerRecord<String, String>> records = KafkaRecords.pollUntil(consumer, 1, Duration.ofSeconds(60));
                assertThat(records).extracting(ConsumerRecord::key).containsExactly("o-late");
            }
            assertThat(bridge.isAlive()).isTrue();
            assertThat(count(bridge, unreachable)).isEqualTo(1);
            assertThat(bridge.log()).filteredOn(l -> l.contains(unreachable)).singleElement().asString()
                    .contains("KAFKA_BROKERS").contains("docs/operations.md");
            assertNoStackTrace(bridge);
        }
    }

    @Test
    void anUnreachableRabbitMqIsReportedOnceWhileTheBridgeKeepsTrying() {
        int port = KafkaBroker.freePort();
        Map<String, String> env = new HashMap<>(names.provision(kafka));
        env.put("RABBITMQ_PORT", Integer.toString(port));
        try (BridgeProcess bridge = new BridgeProcess("no-rabbitmq-" + names.suffix(), env).start()) {
            String unreachable = "RabbitMQ unreachable at 127.0.0.1:" + port;
            Awaitility.await(unreachable).atMost(Duration.ofSeconds(30)).until(() -> count(bridge, unreachable) == 1);
            // the supervising route controller retries the RabbitMQ routes with back-off; the process stays up
            Awaitility.await("a retry").atMost(Duration.ofSeconds(30))
                    .until(() -> count(bridge, "Failed restarting route: orders-to-kafka attempt: 2") == 1);
            assertThat(bridge.isAlive()).isTrue();
            assertThat(count(bridge, unreachable)).isEqualTo(1);
            assertThat(bridge.log()).filteredOn(l -> l.contains(unreachable)).singleElement().asString()
                    .contains("rabbitmq-server").contains("RABBITMQ_HOST");
            assertNoStackTrace(bridge);
        }
    }

    @Test
    void aRemoteJmxPasswordFileThatOthersMayReadStopsStartUpWithOneLine() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "jmx-");
        Path passwords = Files.writeString(dir.resolve("jmx.password"), "ops 0ps-s3cret\n");
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> env = names.provision(kafka);
        env.put("BRIDGE_JMX_ENABLED", "true");
        env.put("BRIDGE_JMX_PORT", Integer.toString(KafkaBroker.freePort()));
        env.put("BRIDGE_JMX_PASSWORD_FILE", passwords.toString());
        env.put("BRIDGE_JMX_ACCESS_FILE", PrivateFiles.write(dir.resolve("jmx.access"), "ops readonly\n").toString());
        try (BridgeProcess bridge = new BridgeProcess("jmx-644-" + names.suffix(), env).start()) {
            assertThat(bridge.waitForExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(bridge.log()).filteredOn(l -> l.contains("ERROR")).singleElement().asString()
                    .contains("invalid setting bridge.jmx.password-file='" + passwords + "'")
                    .contains("rw-r--r--")
                    .contains("chmod 600 " + passwords);
            assertThat(bridge.log()).noneMatch(l -> l.contains("0ps-s3cret")).noneMatch(l -> l.contains("Remote JMX at"));
            assertNoStackTrace(bridge);
        }
    }

    private static long count(BridgeProcess bridge, String text) {
        return bridge.log().stream().filter(l -> l.contains(text)).count();
    }

    private static void assertNoStackTrace(BridgeProcess bridge) {
        assertThat(bridge.log()).as("log of %s", bridge.logFile()).noneMatch(l -> l.startsWith("\tat "));
    }
}
