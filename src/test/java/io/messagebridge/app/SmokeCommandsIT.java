package io.messagebridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.GetResponse;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke test's commands as a user runs them, {@code java -jar} against the real brokers with no bridge running:
 * what {@code send} writes is what a queue and {@code tail} see, with its message-id, key and headers; a message no
 * queue takes is one line and exit 1; an unknown command or a bad use of one lists what exists and exits 2.
 */
class SmokeCommandsIT {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final AtomicInteger COMMANDS = new AtomicInteger();

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path folder;

    @Test
    void whatIsSentToAnExchangeReachesItsBoundQueueAndATailOfItsKeys() throws Exception {
        String exchange = "smoke-orders-" + suffix;
        String queue = "smoke-orders-" + suffix;
        String literal = "{\"orderId\":\"o-1\",\"region\":\"eu\"}";
        String fromStdin = "{\"orderId\":\"o-2\",\"region\":\"eu\"}";
        String fromFile = "{\"orderId\":\"o-3\",\"region\":\"us\"}";
        Path stdin = Files.writeString(folder.resolve("stdin.json"), fromStdin);
        Path file = Files.writeString(folder.resolve("order.json"), fromFile);
        try (RabbitMq rabbit = new RabbitMq()) {
            rabbit.declareBoundQueue(queue, exchange, "order.#");
            String tailQueue;
            try (BridgeProcess tail = startTail("exchange", exchange, "order.created.*")) {
                tailQueue = readyLine(tail).replaceAll(".* through queue (\\S+);.*", "$1");

                assertThat(run(0, command("send", "exchange", exchange, "order.created.eu", "--message-id", "m-1",
                        literal))).containsExactly("Sent message m-1 to exchange '" + exchange
                        + "' with routing key 'order.created.eu' (persistent, confirmed)");
                // not a key the tail bound: the queue takes it, the tail does not see it
                assertThat(run(0, command("send", "exchange", exchange, "order.updated.eu", "-").input(stdin)))
                        .singleElement().asString().matches("Sent message " + UUID_PATTERN + " to exchange .*");
                assertThat(run(0, command("send", "exchange", exchange, "order.created.us", "@" + file)))
                        .singleElement().asString().startsWith("Sent message ");

                // a queue delivers in order, so once the last one is printed the second would have been too
                List<Printed> printed = awaitPrinted(tail, 2);
                assertThat(printed).extracting(Printed::body).containsExactly(literal, fromFile);
                assertThat(printed.get(0).line()).isEqualTo("exchange=" + exchange
                        + " routing-key=order.created.eu message-id=m-1 content-type=application/json");
                assertThat(printed.get(1).line()).matches("exchange=" + exchange
                        + " routing-key=order.created.us message-id=" + UUID_PATTERN + " content-type=application/json");

                List<GetResponse> queued = rabbit.drain(queue, 3, Duration.ofSeconds(30));
                assertThat(queued).extracting(r -> new String(r.getBody(), StandardCharsets.UTF_8))
                        .containsExactly(literal, fromStdin, fromFile);
                assertThat(queued).extracting(r -> r.getEnvelope().getRoutingKey())
                        .containsExactly("order.created.eu", "order.updated.eu", "order.created.us");
                assertThat(queued.get(0).getProps().getMessageId()).isEqualTo("m-1");
                assertThat(queued).allSatisfy(r -> {
                    assertThat(r.getProps().getDeliveryMode()).isEqualTo(2);
                    assertThat(r.getProps().getContentType()).isEqualTo("application/json");
                    assertThat(r.getProps().getTimestamp()).isNotNull();
                });
                assertThat(queued).extracting(r -> r.getProps().getMessageId()).doesNotHaveDuplicates();

                assertThat(tail.stop()).isZero();
                assertThat(printed(tail)).hasSize(2);
                assertThat(tail.log()).noneMatch(l -> l.contains("Exception") || l.startsWith("Declared"));
            }
            // while the tail ran, its queue was exclusive to it: not even a passive declare could see it
            assertThat(rabbit.queueExists(tailQueue)).as("the tail's queue, once it ended").isFalse();

            assertThat(run(1, command("send", "exchange", exchange, "shipment.lost", literal))).containsExactly(
                    "Not delivered: unroutable: no queue bound to exchange '" + exchange
                            + "' for routing key 'shipment.lost' (NO_ROUTE)");
            assertThat(rabbit.messageCount(queue)).isZero();
        }
    }

    @Test
    void whatIsSentToATopicReachesATailOfItWithItsKeyAndHeaders() throws Exception {
        String topic = "smoke-shipments-" + suffix;
        kafka.createTopics(topic);
        String before = "{\"shipmentId\":\"s-0\",\"status\":\"PACKED\"}";
        String keyed = "{\"shipmentId\":\"s-1\",\"status\":\"SHIPPED\"}";
        String unkeyed = "{\"shipmentId\":\"s-2\",\"status\":\"SHIPPED\"}";
        run(0, command("send", "topic", topic, "--key", "s-0", before));
        try (BridgeProcess tail = startTail("topic", topic)) {
            assertThat(readyLine(tail)).isEqualTo("Tailing topic '" + topic + "' (3 partitions) from its end; Ctrl+C to stop");
            String sent = run(0, command("send", "topic", topic, "--key=s-1", "--message-id", "ship-1", keyed)).get(0);
            assertThat(sent).matches("Sent message ship-1 to topic '" + topic
                    + "' with key 's-1', partition \\d offset \\d \\(acks=all\\)");
            assertThat(run(0, command("send", "topic", topic, unkeyed))).singleElement().asString()
                    .matches("Sent message " + UUID_PATTERN + " to topic '" + topic + "' without a key, partition \\d offset \\d \\(acks=all\\)");

            List<Printed> printed = awaitPrinted(tail, 2);
            assertThat(printed).extracting(Printed::body).containsExactlyInAnyOrder(keyed, unkeyed);
            Printed first = printed.stream().filter(p -> p.body().equals(keyed)).findFirst().orElseThrow();
            String partitionAndOffset = sent.replaceAll(".*partition (\\d) offset (\\d).*", "partition=$1 offset=$2");
            assertThat(first.line()).isEqualTo("topic=" + topic + " " + partitionAndOffset
                    + " key=s-1 headers={message-id=ship-1, content-type=application/json}");
            Printed second = printed.stream().filter(p -> p.body().equals(unkeyed)).findFirst().orElseThrow();
            assertThat(second.line()).matches("topic=" + topic + " partition=\\d offset=\\d headers=\\{message-id="
                    + UUID_PATTERN + ", content-type=application/json\\}");

            try (BridgeProcess all = startTail("topic", topic, "--from-beginning")) {
                assertThat(awaitPrinted(all, 3)).extracting(Printed::body).containsExactlyInAnyOrder(before, keyed, unkeyed);
                assertThat(all.stop()).isZero();
                assertThat(printed(all)).hasSize(3);
            }
            assertThat(tail.stop()).isZero();
            assertThat(printed(tail)).hasSize(2);
        }
        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(kafka, topic)) {
            List<ConsumerRecord<String, String>> records = KafkaRecords.pollUntil(consumer, 3, Duration.ofSeconds(30));
            records.addAll(KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(1)));
            assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("s-0", "s-1", null);
            assertThat(records).extracting(r -> KafkaRecords.header(r, "content-type")).containsOnly("application/json");
            assertThat(records).extracting(r -> KafkaRecords.header(r, "message-id")).doesNotHaveDuplicates()
                    .contains("ship-1").doesNotContainNull();
        }
    }

    /** The README's smoke test, with this test's names for the example pipeline's exchanges and topics. */
    @Test
    void theSmokeTestShowsAnOrderArriveInKafkaAndAShipmentInABoundQueue() {
        FlowNames names = FlowNames.unique();
        Map<String, String> env = names.provision(kafka);
        String order = "{\"orderId\":\"o-1001\",\"region\":\"eu\",\"total\":250.0,\"lines\":[{\"sku\":\"A-1\",\"qty\":2}]}";
        String shipment = "{\"shipmentId\":\"s-1\",\"orderId\":\"o-1001\",\"status\":\"SHIPPED\",\"eta\":\"2026-12-24T12:00:00Z\"}";
        try (RabbitMq rabbit = new RabbitMq();
             BridgeProcess bridge = new BridgeProcess("smoke-bridge-" + names.suffix(), env).startAndAwaitRoutes();
             BridgeProcess orders = startTail(command(env), "topic", names.ordersTopic());
             BridgeProcess notifications = startTail(command(env), "exchange", names.notificationsExchange(), "shipment.#")) {
            rabbit.forgetPipeline(names);
            // the bridge declares its notifications exchange only as it first publishes: the tail did
            assertThat(notifications.log()).contains("Declared exchange '" + names.notificationsExchange()
                    + "' (topic, durable) as the bridge does; it did not exist");
            rabbit.forget(null, names.notificationsExchange());

            String sentOrder = run(0, command(env, "send", "exchange", names.ordersExchange(), "order.created.eu", order))
                    .get(0);
            String orderId = sentOrder.split(" ")[2];
            Printed inKafka = awaitPrinted(orders, 1).get(0);
            assertThat(inKafka.body()).isEqualTo(order);
            assertThat(inKafka.line()).startsWith("topic=" + names.ordersTopic() + " ")
                    .contains(" key=o-1001 ", "message-id=" + orderId, "rabbitmq-exchange=" + names.ordersExchange(),
                            "rabbitmq-routing-key=order.created.eu");

            String sentShipment = run(0, command(env, "send", "topic", names.shipmentsTopic(), "--key", "s-1", shipment))
                    .get(0);
            Printed inQueue = awaitPrinted(notifications, 1).get(0);
            assertThat(inQueue.body()).isEqualTo(shipment);
            assertThat(inQueue.line()).isEqualTo("exchange=" + names.notificationsExchange() + " routing-key=shipment.shipped"
                    + " message-id=" + sentShipment.split(" ")[2] + " correlation-id=s-1 content-type=application/json");

            assertThat(orders.stop()).isZero();
            assertThat(notifications.stop()).isZero();
            assertThat(printed(orders)).hasSize(1);
            assertThat(printed(notifications)).hasSize(1);
            assertThat(bridge.log()).noneMatch(l -> l.contains("Dead letter"));
        }
    }

    @Test
    void anUnknownCommandOrABadUseOfOneSaysWhatExistsAndExits2() {
        List<String> unknown = run(2, command("replay-ragne"));
        assertThat(unknown.get(0)).isEqualTo("unknown command 'replay-ragne'");
        assertThat(unknown.get(1)).isEqualTo("usage: java -jar rabbitmq-kafka-bridge.jar [command]");
        List<String> listed = unknown.subList(2, unknown.size());
        String[] forms = {"(no command) ", "dev ", "help ", "send exchange <exchange> <routing key> ", "send topic <topic> ",
            "tail exchange <exchange> <binding key>", "tail topic <topic> ", "replay queue|topic ",
            "replay-range topic <topic> --from <when> [--to <when>] --into topic ",
            "replay-range ... --into exchange <name> ", "validate "};
        assertThat(listed).hasSize(forms.length);
        for (int i = 0; i < forms.length; i++) {
            assertThat(listed.get(i)).startsWith("  " + forms[i]);
        }

        assertThat(run(2, command("send"))).containsExactly(
                "send: missing exchange|topic",
                "usage: java -jar rabbitmq-kafka-bridge.jar send exchange <exchange> <routing key> [--message-id ID] <body|@file|->",
                "       java -jar rabbitmq-kafka-bridge.jar send topic <topic> [--key KEY] [--message-id ID] <body|@file|->");
        assertThat(run(2, command("send", "topic", "shipments", "--key", "s-1"))).first()
                .isEqualTo("send: missing <body|@file|->");
        assertThat(run(2, command("tail", "exchange", "notifications"))).hasSize(3).first()
                .isEqualTo("tail: missing <binding key>");
        assertThat(run(2, command("replay", "queue", "orders.to-kafka", "ten"))).hasSize(2).first()
                .isEqualTo("replay: [max] is a whole number, not 'ten'");

        assertThat(run(0, command("help"))).containsExactlyElementsOf(unknown.subList(1, unknown.size()));

        // camel-main's help still works, and names the commands too
        assertThat(run(0, command("-h"))).anyMatch(l -> l.startsWith("  send exchange"))
                .anyMatch(l -> l.contains("Apache Camel Runner takes the following options"));
    }

    /** A message a tail printed: the line of where it was, its key and headers, and its body on the next line. */
    private record Printed(String line, String body) {
    }

    private static List<Printed> printed(BridgeProcess tail) {
        List<String> log = tail.log();
        List<Printed> printed = new ArrayList<>();
        for (int i = 0; i + 1 < log.size(); i++) {
            if (log.get(i).startsWith("exchange=") || log.get(i).startsWith("topic=")) {
                printed.add(new Printed(log.get(i), log.get(i + 1)));
            }
        }
        return printed;
    }

    private static List<Printed> awaitPrinted(BridgeProcess tail, int count) {
        Awaitility.await(count + " messages printed by " + tail.logFile()).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> printed(tail).size() >= count);
        return printed(tail);
    }

    private BridgeProcess command(String... args) {
        return command(Map.of("KAFKA_BROKERS", kafka.bootstrapServers(), "RABBITMQ_HOST", "127.0.0.1",
                "RABBITMQ_PORT", "5672"), args);
    }

    private BridgeProcess command(Map<String, String> environment, String... args) {
        return new BridgeProcess("command-" + suffix + "-" + COMMANDS.incrementAndGet(), environment).arguments(args);
    }

    /** Runs a command to its end; returns what it printed. */
    private static List<String> run(int exitCode, BridgeProcess command) {
        command.start();
        assertThat(command.waitForExit(Duration.ofSeconds(90))).as(command.logFile().toString()).isEqualTo(exitCode);
        return command.log();
    }

    private BridgeProcess startTail(String... args) {
        return startTail(command(), args);
    }

    /** Starts a tail and waits until it says it is tailing: whatever arrives from then on, it prints. */
    private static BridgeProcess startTail(BridgeProcess command, String... args) {
        List<String> words = new ArrayList<>(List.of("tail"));
        words.addAll(List.of(args));
        BridgeProcess tail = command.arguments(words.toArray(String[]::new)).start();
        Awaitility.await("tail ready (" + tail.logFile() + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!tail.isAlive()) {
                        throw new IllegalStateException("tail exited: " + tail.log());
                    }
                    return readyLine(tail) != null;
                });
        return tail;
    }

    private static String readyLine(BridgeProcess tail) {
        return tail.log().stream().filter(l -> l.startsWith("Tailing ")).findFirst().orElse(null);
    }
}
