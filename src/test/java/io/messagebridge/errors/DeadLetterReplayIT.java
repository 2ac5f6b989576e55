package io.messagebridge.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.messagebridge.config.Settings;
import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.Observe;
import io.messagebridge.harness.RabbitMq;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dead letters go back to their source once the cause is fixed: from the command line, and over JMX; a Kafka dead
 * letter only to the route that failed, a RabbitMQ one with the exchange and routing key it came through, one replay
 * of a dead-letter destination at a time, and what the source refuses stays a dead letter, alone.
 */
class DeadLetterReplayIT {

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final String queue = "notifications-replay-" + names.suffix();
    private final int jmxPort = KafkaBroker.freePort();
    private RabbitMq rabbit;
    private Map<String, String> env;
    private BridgeProcess bridge;

    @BeforeEach
    void start() {
        rabbit = new RabbitMq();
        rabbit.declareBoundQueue(queue, names.notificationsExchange(), "shipment.shipped");
        rabbit.forgetPipeline(names);
        env = names.provision(kafka);
        bridge = withJmx(new BridgeProcess("replay-" + names.suffix(), env)).startAndAwaitRoutes();
    }

    /** The bridge with JMX on {@link #jmxPort}, without login, for the tests' MBean calls. */
    private BridgeProcess withJmx(BridgeProcess process) {
        return process.jvmArguments("-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false");
    }

    @AfterEach
    void stop() {
        bridge.stop();
        rabbit.close();
        // the broker is shared with the tests that follow
        if (!kafka.isRunning()) {
            kafka.start();
        }
    }

    /**
     * RabbitMQ 4 gives quorum queues a delivery limit of 20; 3.x takes one from a policy. A message requeued more often
     * (its batch failed while Kafka was away) is dead-lettered by RabbitMQ itself: no x-error-* headers, no log line
     * of the application. It must still be counted, say why in x-death, and go back to its source on replay.
     */
    @Test
    void anOrderRabbitMqDeadLettersAtItsDeliveryLimitIsCountedExplainedAndReplayed() throws Exception {
        String policy = "delivery-limit-" + names.suffix();
        RabbitMq.ctl("set_policy", policy, "^" + names.ordersQueue().replace(".", "\\.") + "$",
                "{\"delivery-limit\":1}", "--apply-to", "queues");
        try {
            bridge.stop();
            Map<String, String> failingFast = new HashMap<>(env);
            // each batch fails at once while Kafka is away, and goes back to the queue
            failingFast.put("BRIDGE_REDELIVERY_MAXIMUM_REDELIVERIES", "0");
            bridge = withJmx(new BridgeProcess("delivery-limit-" + names.suffix(), failingFast)
                    .jvmArguments("-Dcamel.component.kafka.request-timeout-ms=1000",
                            "-Dcamel.component.kafka.delivery-timeout-ms=2000",
                            "-Dcamel.component.kafka.max-block-ms=1000"))
                    .startAndAwaitRoutes();
            kafka.stop();
            for (int i = 0; i < 3; i++) {
                rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("q-" + i, null,
                        Map.of("trace", "t-" + i)), ("{\"orderId\":\"q-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            rabbit.awaitConfirms();

            String deadLetterQueue = names.ordersQueue() + ".dlq";
            Awaitility.await("RabbitMQ dead-letters the orders").atMost(Duration.ofSeconds(60))
                    .until(() -> rabbit.messageCount(deadLetterQueue) == 3);
            assertThat(deadLetterCount()).as("counted").isEqualTo(3L);
            List<GetResponse> deadLetters = rabbit.takeReady(deadLetterQueue, 10);
            assertThat(deadLetters).extracting(r -> r.getProps().getMessageId())
                    .containsExactlyInAnyOrder("q-0", "q-1", "q-2");
            assertThat(deadLetters).allSatisfy(r -> {
                Map<String, Object> headers = r.getProps().getHeaders();
                assertThat(headers.keySet()).noneMatch(h -> h.startsWith("x-error-"));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> deaths = (List<Map<String, Object>>) headers.get("x-death");
                assertThat(deaths).as("explained by RabbitMQ").first()
                        .satisfies(death -> assertThat(death.get("reason").toString()).isEqualTo("delivery_limit"));
                // put back, as they were, for the replay below
                rabbit.publish("", deadLetterQueue, r.getProps(), r.getBody());
            });
            rabbit.awaitConfirms();

            kafka.start();
            assertThat(replay("queue", names.ordersQueue())).contains("Replayed 3 dead letters");
            List<ConsumerRecord<String, String>> records = KafkaRecords.exactly(kafka, names.ordersTopic(), 3);
            assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("q-0", "q-1", "q-2");
            assertThat(records).allSatisfy(r -> {
                assertThat(KafkaRecords.header(r, "trace")).isEqualTo("t-" + r.key().substring(2));
                assertThat(KafkaRecords.header(r, "x-death")).isNull();
            });
        } finally {
            RabbitMq.ctl("clear_policy", policy);
        }
    }

    private long deadLetterCount() throws Exception {
        try (JMXConnector jmx = JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"))) {
            return (Long) jmx.getMBeanServerConnection().invoke(new ObjectName("io.messagebridge:type=DeadLetters"),
                    "count", new Object[] {"orders-to-kafka"}, new String[] {String.class.getName()});
        }
    }

    @Test
    void unroutableShipmentsAreReplayedFromTheCommandLineOnceAQueueIsBound() {
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(names.shipmentsTopic(), "r-" + i,
                        "{\"orderId\":\"r-" + i + "\",\"status\":\"RETURNED\"}"));
            }
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(names.shipmentsTopic(), "s-" + i,
                        "{\"orderId\":\"s-" + i + "\",\"status\":\"SHIPPED\"}"));
            }
        }
        try (KafkaConsumer<String, String> dlt = KafkaRecords.consumer(kafka, names.shipmentsTopic() + ".DLT")) {
            assertThat(KafkaRecords.pollUntil(dlt, 50, Duration.ofSeconds(60))).hasSize(50);
        }
        assertThat(rabbit.drain(queue, 10, Duration.ofSeconds(30))).hasSize(10);

        rabbit.declareBoundQueue(queue, names.notificationsExchange(), "shipment.returned");
        assertThat(replay("topic", names.shipmentsTopic(), "20")).contains(
                "Replayed 20 dead letters from " + names.shipmentsTopic() + ".DLT to " + names.shipmentsTopic() + " (30 left)");
        assertThat(replay("topic", names.shipmentsTopic())).contains("Replayed 30 dead letters").contains("(0 left)");

        List<GetResponse> replayed = rabbit.drain(queue, 50, Duration.ofSeconds(60));
        replayed.addAll(rabbit.takeReady(queue, 100));
        assertThat(replayed).extracting(r -> r.getProps().getCorrelationId()).hasSize(50).doesNotHaveDuplicates()
                .allMatch(id -> id.startsWith("r-"));
        assertThat(replayed).extracting(r -> r.getEnvelope().getRoutingKey()).containsOnly("shipment.returned");
        assertThat(replayed).allSatisfy(r -> assertThat(r.getProps().getHeaders().keySet())
                .noneMatch(h -> h.startsWith("x-error-") || h.startsWith("x-origin-")));
        assertThat(replay("topic", names.shipmentsTopic())).contains("Replayed 0 dead letters");
    }

    @Test
    void deadLettersOfARabbitMqRouteAreCountedAndReplayedOverJmx() throws Exception {
        String deadLetterQueue = names.ordersQueue() + ".dlq";
        for (int i = 0; i < 30; i++) {
            // as the dead-letter route leaves them after a failure whose cause has since been fixed
            rabbit.publish("", deadLetterQueue, RabbitMq.persistentJson("d-" + i, null, Map.of(
                    "x-error-class", "java.lang.IllegalStateException", "x-origin-queue", names.ordersQueue(),
                    "trace", "t-" + i)), ("{\"orderId\":\"d-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        rabbit.awaitConfirms();

        try (JMXConnector jmx = JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"))) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            ObjectName deadLetters = new ObjectName("io.messagebridge:type=DeadLetters");
            String[] signature = {String.class.getName()};
            String[] replaySignature = {String.class.getName(), int.class.getName()};
            assertThat(server.invoke(deadLetters, "count", new Object[] {"orders-to-kafka"}, signature)).isEqualTo(30L);
            assertThat(server.invoke(deadLetters, "replay", new Object[] {"orders-to-kafka", 10}, replaySignature))
                    .isEqualTo(10);
            assertThat(server.invoke(deadLetters, "count", new Object[] {"orders-to-kafka"}, signature)).isEqualTo(20L);
            assertThat(server.invoke(deadLetters, "replay", new Object[] {"orders-to-kafka", 100}, replaySignature))
                    .isEqualTo(20);
            assertThat(server.invoke(deadLetters, "count", new Object[] {"orders-to-kafka"}, signature)).isEqualTo(0L);
            assertThatThrownBy(() -> server.invoke(deadLetters, "count", new Object[] {"no-such-route"}, signature))
                    .hasStackTraceContaining("no route no-such-route");
        }

        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(kafka, names.ordersTopic())) {
            List<ConsumerRecord<String, String>> records = KafkaRecords.pollUntil(consumer, 30, Duration.ofSeconds(60));
            records.addAll(KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(1)));
            assertThat(records).extracting(ConsumerRecord::key).hasSize(30).doesNotHaveDuplicates()
                    .allMatch(key -> key.startsWith("d-"));
            assertThat(records).allSatisfy(r -> {
                assertThat(KafkaRecords.header(r, "trace")).isEqualTo("t-" + r.key().substring(2));
                assertThat(KafkaRecords.header(r, "x-error-class")).isNull();
            });
        }
    }


    @Test
    void aKafkaDeadLetterIsReplayedOnlyToTheRouteThatFailed() {
        // order-lines, order-alerts and order-routing all consume this topic; only order-alerts fails (no alert queue)
        String alerts = "alerts-replay-" + names.suffix();
        rabbit.forget(alerts, null);
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(names.orderEventsTopic(), "a-" + i, order(i)));
            }
        }
        String deadLetterTopic = names.orderEventsTopic() + ".DLT";
        List<ConsumerRecord<String, String>> deadLetters = KafkaRecords.exactly(kafka, deadLetterTopic, 5);
        assertThat(deadLetters).extracting(dead -> KafkaRecords.header(dead, "x-error-route"))
                .containsOnly("order-alerts");
        assertOnePerOrder(names.orderLinesTopic(), names.otherOrdersTopic());
        awaitCommittedToEnd(names.orderLinesGroup(), names.orderRoutingGroup(), names.orderAlertsGroup());

        rabbit.declareBoundQueue(alerts, names.alertsExchange(), "order.high-value.#");
        assertThat(replay("topic", names.orderEventsTopic())).contains("Replayed 5 dead letters").contains("(0 left)");

        // order-alerts handles them again, and only order-alerts
        List<GetResponse> alerted = rabbit.drain(alerts, 5, Duration.ofSeconds(60));
        assertThat(alerted).extracting(r -> new String(r.getBody(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder(order(0), order(1), order(2), order(3), order(4));
        assertThat(alerted).allSatisfy(r -> assertThat(r.getProps().getHeaders().keySet())
                .noneMatch(name -> name.startsWith("x-replay-") || name.startsWith("x-error-")));
        awaitCommittedToEnd(names.orderLinesGroup(), names.orderRoutingGroup(), names.orderAlertsGroup());
        // no new lines, routed orders or dead letters
        assertOnePerOrder(names.orderLinesTopic(), names.otherOrdersTopic(), deadLetterTopic);
        Observe observe = Observe.of(env);
        assertThat(observe.bridgeCounter("bridge_messages_forwarded_total", "order-lines-source")).isEqualTo(5);
        assertThat(observe.bridgeCounter("bridge_messages_forwarded_total", "order-routing-source")).isEqualTo(5);
        assertThat(observe.bridgeCounter("bridge_messages_forwarded_total", "order-alerts-source")).isEqualTo(5);
        assertThat(observe.bridgeCounter("bridge_messages_dead_lettered_total", "order-lines-source")).isZero();
        // the route that consumed it, which the replayed record is meant for
        assertThat(deadLetters).extracting(dead -> KafkaRecords.header(dead, "x-origin-route"))
                .containsOnly("order-alerts-source");
    }

    @Test
    void twoReplaysAtOnceReplayEachDeadLetterOnce() throws Exception {
        String topic = "replay-twice-" + names.suffix();
        kafka.createTopics(topic, topic + ".DLT");
        int count = 5_000;
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic + ".DLT", null, "t-" + i, "{\"orderId\":\"t-" + i + "\"}",
                        List.of(new RecordHeader("x-error-route", "some-route".getBytes(StandardCharsets.UTF_8)))));
            }
        }
        DeadLetterReplay replay = DeadLetterReplay.from(settings());
        ExecutorService replays = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Callable<Object> oneReplay = () -> {
                go.await();
                try {
                    return replay.replayTopic(topic, Integer.MAX_VALUE);
                } catch (Exception e) {
                    return e;
                }
            };
            List<Future<Object>> both = List.of(replays.submit(oneReplay), replays.submit(oneReplay));
            go.countDown();
            int moved = 0;
            for (Future<Object> one : both) {
                Object outcome = one.get(120, TimeUnit.SECONDS);
                if (outcome instanceof Exception refused) {
                    assertThat(refused).hasMessage("a replay of " + topic + ".DLT is already running");
                } else {
                    moved += (Integer) outcome;
                }
            }
            assertThat(moved).isEqualTo(count);
        } finally {
            replays.shutdownNow();
        }
        assertThat(KafkaRecords.exactly(kafka, topic, count)).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
        assertThat(replay.countTopic(topic)).isZero();
    }

    @Test
    void aReplayWhileAnotherOneRunsSaysSoAndMovesNothing() throws Exception {
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(names.shipmentsTopic() + ".DLT", "l-" + i,
                        "{\"orderId\":\"l-" + i + "\"}"));
            }
        }
        String deadLetters = names.shipmentsTopic() + ".DLT";
        // what a running replay of that topic holds: an exclusive queue named after it, gone with its connection
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection other = factory.newConnection("another replay"); Channel lock = other.createChannel()) {
            lock.queueDeclare("rabbitmq-kafka-bridge.replay-lock." + deadLetters, false, true, true, null);
            BridgeProcess command = replayCommand("topic", names.shipmentsTopic());
            assertThat(command.waitForExit(Duration.ofSeconds(120))).as("replay exit code").isEqualTo(2);
            assertThat(command.log()).filteredOn(line -> line.contains(deadLetters)).singleElement().asString()
                    .isEqualTo("Replay failed: a replay of " + deadLetters + " is already running");
        }
        assertThat(DeadLetterReplay.from(settings()).countTopic(names.shipmentsTopic())).isEqualTo(3);
    }

    @Test
    void aRabbitMqReplayKeepsTheExchangeAndRoutingKeyTheMessageCameThrough() {
        String deadLetterQueue = names.ordersQueue() + ".dlq";
        for (int i = 0; i < 3; i++) {
            rabbit.publish("", deadLetterQueue, RabbitMq.persistentJson("g-" + i, null, Map.of(
                    "x-error-class", "java.lang.IllegalStateException", "x-origin-queue", names.ordersQueue(),
                    "x-origin-exchange", names.ordersExchange(), "x-origin-routing-key", "order.created.eu")),
                    ("{\"orderId\":\"g-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        // a publisher that claims another origin is not believed: only a replay sends straight to the queue
        rabbit.publish(names.ordersExchange(), "order.created.us", RabbitMq.persistentJson("f-1", null, Map.of(
                "x-replay-exchange", "elsewhere", "x-replay-routing-key", "order.forged")),
                "{\"orderId\":\"f-1\"}".getBytes(StandardCharsets.UTF_8));
        rabbit.awaitConfirms();

        assertThat(replay("queue", names.ordersQueue())).contains("Replayed 3 dead letters").contains("(0 left)");

        List<ConsumerRecord<String, String>> records = KafkaRecords.exactly(kafka, names.ordersTopic(), 4);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("g-0", "g-1", "g-2", "f-1");
        assertThat(records).allSatisfy(r -> {
            assertThat(KafkaRecords.header(r, "rabbitmq-exchange")).isEqualTo(names.ordersExchange());
            assertThat(KafkaRecords.header(r, "rabbitmq-routing-key"))
                    .isEqualTo(r.key().startsWith("g-") ? "order.created.eu" : "order.created.us");
            assertThat(r.headers()).extracting(Header::key).noneMatch(name -> name.startsWith("x-replay-"));
        });
    }

    @Test
    void aReplayThatItsSourcePartlyRefusesMovesTheRestAndKeepsOnlyTheRefused() {
        String full = "replay-full-" + names.suffix();
        rabbit.declareBoundQueue(full, names.ordersExchange(),
                Map.of("x-max-length", 5, "x-overflow", "reject-publish"));
        rabbit.declareBoundQueue(full + ".dlq", names.ordersExchange());
        for (int i = 0; i < 10; i++) {
            rabbit.publish("", full + ".dlq", RabbitMq.persistentJson("p-" + i, null, Map.of("x-origin-queue", full)),
                    ("{\"orderId\":\"p-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        rabbit.awaitConfirms();

        BridgeProcess command = replayCommand("queue", full);
        assertThat(command.waitForExit(Duration.ofSeconds(120))).as("replay exit code").isEqualTo(2);
        assertThat(command.log()).filteredOn(line -> line.contains(full)).singleElement().asString()
                .isEqualTo("Replay failed: replayed 5 dead letters from " + full + ".dlq to " + full + "; " + full
                        + " refused 5 (nacked), which stay in " + full + ".dlq");

        assertThat(rabbit.takeReady(full, 100)).extracting(r -> r.getProps().getMessageId())
                .containsExactlyInAnyOrder("p-0", "p-1", "p-2", "p-3", "p-4");
        assertThat(rabbit.takeReady(full + ".dlq", 100)).extracting(r -> r.getProps().getMessageId())
                .containsExactlyInAnyOrder("p-5", "p-6", "p-7", "p-8", "p-9");
    }

    /** Each topic holds one record for each of the five orders, and nothing else. */
    private void assertOnePerOrder(String... topics) {
        for (String topic : topics) {
            assertThat(KafkaRecords.exactly(kafka, topic, 5)).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder("a-0", "a-1", "a-2", "a-3", "a-4");
        }
    }

    private static String order(int i) {
        return "{\"orderId\":\"a-" + i + "\",\"region\":\"apac\",\"total\":1500,\"lines\":[{\"sku\":\"A" + i + "\"}]}";
    }

    /** Until each group has committed every record of the pattern routes' source topic: it has seen them all. */
    private void awaitCommittedToEnd(String... groups) {
        Awaitility.await("groups committed to the end of " + names.orderEventsTopic())
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Arrays.stream(groups).allMatch(group -> kafka.groupLag(group, names.orderEventsTopic()) == 0));
    }

    /** The application's configuration, pointed at this test's brokers, as the replay command reads it. */
    private Settings settings() {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("classpath:application.properties");
        Properties overrides = new Properties();
        overrides.put("kafka.brokers", kafka.bootstrapServers());
        overrides.put("rabbitmq.host", "127.0.0.1");
        context.getPropertiesComponent().setOverrideProperties(overrides);
        return Settings.of(context);
    }

    private String replay(String... args) {
        BridgeProcess command = replayCommand(args);
        assertThat(command.waitForExit(Duration.ofSeconds(120))).as("replay exit code").isZero();
        return String.join("\n", command.log());
    }

    private BridgeProcess replayCommand(String... args) {
        return new BridgeProcess("replay-cli-" + names.suffix() + "-" + System.nanoTime(), env)
                .arguments(concat("replay", args)).start();
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
