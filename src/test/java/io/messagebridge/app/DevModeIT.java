package io.messagebridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

/**
 * The dev command as a new user runs it, {@code java -jar target/rabbitmq-kafka-bridge.jar dev}, with nothing at
 * kafka.brokers: it starts a Kafka of its own and says so in one line, carries an order from RabbitMQ into it, and
 * takes it down when it stops or is killed. Without dev nothing is started; in dev, a missing RabbitMQ or a jar away
 * from its build gets one line saying what to do.
 */
class DevModeIT {

    /** Starting Kafka (formatting its storage first) takes a while on a busy machine. */
    private static final Duration KAFKA_START = Duration.ofSeconds(180);
    private static final String STARTED = "a single-node Kafka (KRaft) now runs there";

    private final FlowNames names = FlowNames.unique();
    private final int port = KafkaBroker.freePort();
    private final String brokers = "127.0.0.1:" + port;
    private Path dataDir;
    private RabbitMq rabbit;

    @BeforeEach
    void setUp() throws IOException {
        dataDir = Files.createTempDirectory(Path.of("target"), "dev-kafka-");
        rabbit = new RabbitMq();
        rabbit.forgetPipeline(names);
    }

    @AfterEach
    void tearDown() {
        rabbit.close();
    }

    /** What the user has: nothing at kafka.brokers, and the dev Kafka's data kept apart from a developer's own. */
    private Map<String, String> environment() {
        Map<String, String> env = names.environment(brokers);
        env.put("BRIDGE_DEV_KAFKA_DATA_DIR", Path.of("").toAbsolutePath().relativize(dataDir.toAbsolutePath()).toString());
        return env;
    }

    @Test
    void devStartsAKafkaThatCarriesAnOrderAndStopsWithTheApplication() {
        try (BridgeProcess bridge = new BridgeProcess("dev-" + names.suffix(), environment()).arguments("dev")) {
            bridge.startAndAwaitRoutes(KAFKA_START);
            assertThat(bridge.log()).filteredOn(line -> line.contains(STARTED)).singleElement().asString()
                    .contains("nothing answered at " + brokers)
                    .contains("data and log in " + dataDir.toAbsolutePath())
                    .contains("it stops with the application");
            ProcessHandle broker = brokerOf(bridge);
            assertThat(dataDir.resolve("broker.log")).exists();

            KafkaBroker.createTopics(brokers, List.of(names.ordersTopic()));
            rabbit.publish(names.ordersExchange(), "order.created.eu", RabbitMq.persistentJson("dev-1", "corr-dev-1",
                    Map.of("source", "web-shop")), Traffic.order("o-dev-1").getBytes(StandardCharsets.UTF_8));
            rabbit.awaitConfirms();
            try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(brokers, names.ordersTopic())) {
                List<ConsumerRecord<String, String>> records = KafkaRecords.pollUntil(consumer, 1, Duration.ofSeconds(60));
                assertThat(records).singleElement().satisfies(record -> {
                    assertThat(record.key()).isEqualTo("o-dev-1");
                    assertThat(record.value()).isEqualTo(Traffic.order("o-dev-1"));
                    assertThat(KafkaRecords.header(record, "message-id")).isEqualTo("dev-1");
                    assertThat(KafkaRecords.header(record, "correlation-id")).isEqualTo("corr-dev-1");
                    assertThat(KafkaRecords.header(record, "content-type")).isEqualTo("application/json");
                    assertThat(KafkaRecords.header(record, "source")).isEqualTo("web-shop");
                    assertThat(KafkaRecords.header(record, "rabbitmq-exchange")).isEqualTo(names.ordersExchange());
                    assertThat(KafkaRecords.header(record, "rabbitmq-routing-key")).isEqualTo("order.created.eu");
                });
            }

            assertThat(bridge.stop()).isZero();
            // the application waits for its broker's orderly stop before it exits
            assertThat(broker.isAlive()).isFalse();
            assertThat(answers(port)).isFalse();
        }
    }

    @Test
    void aKilledApplicationTakesItsKafkaWithIt() {
        try (BridgeProcess bridge = new BridgeProcess("dev-kill-" + names.suffix(), environment()).arguments("dev")
                .start()) {
            Awaitility.await("the dev Kafka").atMost(KAFKA_START)
                    .until(() -> bridge.log().stream().anyMatch(line -> line.contains(STARTED)));
            ProcessHandle broker = brokerOf(bridge);

            bridge.kill();

            Awaitility.await("the broker's exit after its application's").atMost(Duration.ofSeconds(60))
                    .until(() -> !broker.isAlive());
            assertThat(answers(port)).isFalse();
        }
    }

    @Test
    void withoutDevNothingIsStartedAndAnUnreachableKafkaIsReportedAsAlways() {
        Map<String, String> env = environment();
        env.put("BRIDGE_HEALTH_CHECK_INTERVAL_MS", "2000");
        try (BridgeProcess bridge = new BridgeProcess("no-dev-" + names.suffix(), env).startAndAwaitRoutes()) {
            String unreachable = "Kafka unreachable at " + brokers;
            Awaitility.await(unreachable).atMost(Duration.ofSeconds(30))
                    .until(() -> bridge.log().stream().anyMatch(line -> line.contains(unreachable)));
            assertThat(ProcessHandle.of(bridge.pid()).orElseThrow().descendants()).isEmpty();
            assertThat(answers(port)).isFalse();
            assertThat(dataDir).isEmptyDirectory();
            assertThat(bridge.log()).noneMatch(line -> line.contains(STARTED));
            assertThat(bridge.stop()).isZero();
        }
    }

    @Test
    void devWithoutRabbitMqSaysInOneLineHowToGetIt() {
        Map<String, String> env = environment();
        int rabbitMqPort = KafkaBroker.freePort();
        env.put("RABBITMQ_PORT", Integer.toString(rabbitMqPort));
        try (BridgeProcess bridge = new BridgeProcess("dev-no-rabbitmq-" + names.suffix(), env).arguments("dev")
                .start()) {
            assertThat(bridge.waitForExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(bridge.log()).filteredOn(line -> line.contains("ERROR")).singleElement().asString()
                    .contains("RabbitMQ does not answer at 127.0.0.1:" + rabbitMqPort)
                    .contains("sudo apt-get install rabbitmq-server")
                    .contains("docker compose up -d rabbitmq");
            assertThat(dataDir).isEmptyDirectory();
        }
    }

    @Test
    void devFromAJarAwayFromItsBuildSaysWhatToRun() throws IOException {
        Path elsewhere = Files.createTempDirectory(Path.of("target"), "jar-elsewhere-");
        Path jar = Files.createLink(elsewhere.resolve("rabbitmq-kafka-bridge.jar"), BridgeProcess.jar());
        try (BridgeProcess bridge = new BridgeProcess("dev-elsewhere-" + names.suffix(), environment()).jar(jar)
                .arguments("dev").start()) {
            assertThat(bridge.waitForExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(bridge.log()).filteredOn(line -> line.contains("ERROR")).singleElement().asString()
                    .contains("no Kafka server class path at " + elsewhere.toAbsolutePath().resolve("kafka-server.classpath"))
                    .contains("mvn -q package -DskipTests");
            assertThat(dataDir).isEmptyDirectory();
        }
    }

    /**
     * The broker JVM the application started, its only child (by then the storage format has ended). Its command line
     * is beyond what ProcessHandle shows (a page), so this one looks at the listening port too.
     */
    private ProcessHandle brokerOf(BridgeProcess bridge) {
        List<ProcessHandle> children = ProcessHandle.of(bridge.pid()).orElseThrow().children().toList();
        assertThat(children).singleElement().satisfies(child -> assertThat(child.info().command()).hasValueSatisfying(
                command -> assertThat(Path.of(command).getFileName()).hasToString("java")));
        assertThat(answers(port)).as("the broker at %s", brokers).isTrue();
        return children.get(0);
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
