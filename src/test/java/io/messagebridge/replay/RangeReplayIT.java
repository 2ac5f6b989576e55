package io.messagebridge.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.rabbitmq.client.GetResponse;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.routefiles.OfflineContext;
import io.messagebridge.routes.ShipmentsToRabbitMqRoute;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * replay-range against the real brokers: shipment events written over three days (explicit record timestamps), of
 * which the middle day is replayed into a RabbitMQ exchange (the command, and the JMX operation), into a Kafka topic,
 * stopped by SIGTERM and killed by SIGKILL and then resumed, dry-run, and asked for the wrong things.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RangeReplayIT {

    private static final Instant DAY_1 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant DAY_2 = Instant.parse("2026-11-02T00:00:00Z");
    private static final Instant DAY_3 = Instant.parse("2026-11-03T00:00:00Z");
    private static final int KEYS = 6;
    private static final int PARTITIONS = 3;
    /** Events of the first and last day, and of the middle one (which is replayed). */
    private static final int EDGE = 12;
    private static final int MIDDLE = 120;
    /** The one middle-day event whose routing key (shipment.lost) the first test's queue is not bound for. */
    private static final int LOST = 57;
    private static final Pattern RESUME = Pattern.compile("to resume: --from (\\S+) --to (\\S+)");
    private static final AtomicInteger COMMANDS = new AtomicInteger();

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "history-" + suffix;
    /** Every event written, per partition, in offset order. */
    private final Map<Integer, List<Event>> partitions = new HashMap<>();
    private RabbitMq rabbit;

    /** One shipment event: its key's partition is key number % 3, its seq counts the events of its key. */
    record Event(String key, int seq, String status, long timestamp, int partition, long offset, String id, int day) {
        String body() {
            return "{\"shipmentId\":\"" + key + "\",\"status\":\"" + status + "\",\"seq\":" + seq + ",\"id\":\"" + id + "\"}";
        }
    }

    @BeforeAll
    void writeThreeDays() throws Exception {
        rabbit = new RabbitMq();
        createKeptTopic(topic);
        Map<String, Integer> seqs = new HashMap<>();
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            int[] counts = {EDGE, MIDDLE, EDGE};
            Instant[] days = {DAY_1, DAY_2, DAY_3};
            for (int day = 0; day < 3; day++) {
                for (int i = 0; i < counts[day]; i++) {
                    String key = "s-" + (i % KEYS);
                    int partition = (i % KEYS) % PARTITIONS;
                    List<Event> log = partitions.computeIfAbsent(partition, p -> new ArrayList<>());
                    String status = day == 1 && i == LOST ? "LOST" : i % 2 == 0 ? "SHIPPED" : "DELIVERED";
                    Event event = new Event(key, seqs.merge(key, 1, Integer::sum), status,
                            days[day].toEpochMilli() + i * 1000L, partition, log.size(), "e-" + day + "-" + i, day);
                    log.add(event);
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("message-id", event.id().getBytes(StandardCharsets.UTF_8));
                    headers.add("tenant", "acme".getBytes(StandardCharsets.UTF_8));
                    producer.send(new ProducerRecord<>(topic, partition, event.timestamp(), key, event.body(), headers));
                }
                producer.flush();
            }
        }
    }

    @AfterAll
    void cleanUp() {
        rabbit.close();
    }

    @Test
    void theMiddleDayArrivesOnceInOrderPerKeyMappedAsTheBridgeMapsItAndTheUnroutableOneIsReported() {
        String exchange = declare("shipment.shipped", "shipment.delivered");
        Event lost = middle().stream().filter(e -> e.status().equals("LOST")).findFirst().orElseThrow();

        List<String> output = run(1, command(Map.of(), "--into", "exchange", exchange, "--routing-key", "shipment.<status>"));

        List<GetResponse> delivered = rabbit.drain(exchange, MIDDLE - 1, Duration.ofSeconds(30));
        assertThat(delivered).hasSize(MIDDLE - 1);
        assertThat(rabbit.messageCount(exchange)).isZero();
        Map<String, Event> expected = new LinkedHashMap<>();
        middle().stream().filter(e -> e != lost).forEach(e -> expected.put(e.id(), e));
        assertThat(delivered).extracting(r -> r.getProps().getMessageId())
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (GetResponse message : delivered) {
            Event event = expected.get(message.getProps().getMessageId());
            assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo(event.body());
            assertThat(message.getEnvelope().getRoutingKey()).isEqualTo("shipment." + event.status().toLowerCase());
            assertThat(message.getProps().getCorrelationId()).isEqualTo(event.key());
            assertThat(message.getProps().getContentType()).isEqualTo("application/json");
            assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(message.getProps().getTimestamp().getTime()).isEqualTo(event.timestamp());
            assertThat(message.getProps().getHeaders()).containsOnlyKeys("tenant");
            assertThat(message.getProps().getHeaders().get("tenant").toString()).isEqualTo("acme");
        }
        assertInOrderPerKey(delivered.stream().map(this::eventOf).toList(), false);
        assertThat(output).contains("not delivered: partition " + lost.partition() + " offset " + lost.offset()
                + " key " + lost.key() + ": unroutable: no queue bound to exchange '" + exchange
                + "' for routing key 'shipment.lost' (NO_ROUTE)");
        assertThat(output).anyMatch(line -> line.matches("Replayed 120 records in .*: partition 0 40, partition 1 40, "
                + "partition 2 40; 1 not delivered"));
        assertThat(String.join("\n", output)).doesNotContain("\"shipmentId\"");
    }

    @Test
    void stoppedBySigtermItPrintsTheResumeCommandWhichDeliversTheRestExactlyOnce() {
        String exchange = declare("shipment.#");
        BridgeProcess replay = throttled(exchange).start();
        awaitSomeButNotAll(exchange);

        assertThat(replay.stop()).isEqualTo(ReplayCommandLine.STOPPED);
        long before = rabbit.messageCount(exchange);
        assertThat(before).isBetween(20L, MIDDLE - 1L);
        assertThat(replay.log()).anyMatch(line -> line.matches("Stopped after \\d+ of 120 records, in .*"));
        String resume = replay.log().stream().filter(l -> l.startsWith("Resume with: java -jar ")).findFirst().orElseThrow();
        List<String> words = shellWords(resume.substring("Resume with: ".length()));
        assertThat(words.subList(0, 4)).containsExactly("java", "-jar", "target/rabbitmq-kafka-bridge.jar", "replay-range");

        run(0, new BridgeProcess("replay-" + suffix + "-" + COMMANDS.incrementAndGet(), environment(Map.of()))
                .arguments(words.subList(3, words.size()).toArray(String[]::new)));

        List<Event> arrived = rabbit.drain(exchange, MIDDLE, Duration.ofSeconds(30)).stream().map(this::eventOf)
                .toList();
        assertThat(arrived).hasSize(MIDDLE).containsExactlyInAnyOrderElementsOf(middle());
        assertInOrderPerKey(arrived, false);
    }

    @Test
    void killedBySigkillItResumesFromItsLastProgressLineDeliveringEveryEventAtLeastOnce() {
        String exchange = declare("shipment.#");
        BridgeProcess replay = throttled(exchange).start();
        awaitSomeButNotAll(exchange);
        Awaitility.await("a progress line").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> replay.log().stream().anyMatch(l -> RESUME.matcher(l).find()));

        replay.kill();
        Matcher last = RESUME.matcher(replay.log().stream().filter(l -> RESUME.matcher(l).find()).reduce((a, b) -> b)
                .orElseThrow());
        assertThat(last.find()).isTrue();
        run(0, new BridgeProcess("replay-" + suffix + "-" + COMMANDS.incrementAndGet(), environment(Map.of()))
                .arguments("replay-range", "topic", topic, "--from", last.group(1), "--to", last.group(2), "--into",
                        "exchange", exchange, "--routing-key", "shipment.<status>"));

        List<Event> arrived = rabbit.drain(exchange, MIDDLE, Duration.ofSeconds(30)).stream().map(this::eventOf)
                .toList();
        assertThat(new LinkedHashSet<>(arrived)).containsExactlyInAnyOrderElementsOf(middle());
        assertInOrderPerKey(arrived, true);
    }

    @Test
    void theSameRangeIntoATopicGivesTheSameEventsInOrderPerKeyWithKeysHeadersAndTimestamps() throws Exception {
        String copy = "history-copy-" + suffix;
        createKeptTopic(copy);

        run(0, command(Map.of(), "--into", "topic", copy));

        List<ConsumerRecord<String, String>> records = KafkaRecords.exactly(kafka, copy, MIDDLE);
        Map<String, Event> expected = new HashMap<>();
        middle().forEach(e -> expected.put(e.id(), e));
        List<Event> arrived = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            Event event = expected.get(KafkaRecords.header(record, "message-id"));
            assertThat(record.value()).isEqualTo(event.body());
            assertThat(record.key()).isEqualTo(event.key());
            assertThat(record.timestamp()).isEqualTo(event.timestamp());
            assertThat(KafkaRecords.header(record, "tenant")).isEqualTo("acme");
            arrived.add(event);
        }
        assertThat(arrived).containsExactlyInAnyOrderElementsOf(middle());
        assertInOrderPerKey(arrived, false);
    }

    @Test
    void aDryRunPrintsTheOffsetsAndCountPerPartitionAndSendsNothing() {
        String exchange = declare("#");

        // the routing key of the route named, from the application's routes as it would load them
        List<String> output = run(0, command(Map.of(), "--into", "exchange", exchange, "--route", "shipments-to-rabbitmq",
                "--dry-run"));

        assertThat(output).containsExactly("Dry run of a replay of topic " + topic + " (3 partitions, 120 records) from "
                        + DAY_2 + " to " + DAY_3 + " into exchange " + exchange + ", routing key shipment.<status>:",
                "  partition 0: offsets 4 to 44, 40 records", "  partition 1: offsets 4 to 44, 40 records",
                "  partition 2: offsets 4 to 44, 40 records", "Dry run: nothing sent.");
        assertThat(rabbit.messageCount(exchange)).isZero();
    }

    @Test
    void recordsDeletedBeforeTheReplayReachesThemStopItWithOneLineRatherThanBeingSkipped() throws Exception {
        String source = "deleted-" + suffix;
        String target = "deleted-copy-" + suffix;
        createKeptTopic(source);
        createKeptTopic(target);
        // large records: a fetch holds a few, so the replay reads from the broker again soon after the deletion
        String body = "x".repeat(100_000);
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            for (int i = 0; i < 60; i++) {
                producer.send(new ProducerRecord<>(source, 0, "k-" + i, body));
            }
        }
        BridgeProcess replay = new BridgeProcess("replay-" + suffix + "-deleted", environment(Map.of(
                "BRIDGE_REPLAY_BATCH_SIZE", "2", "BRIDGE_REPLAY_PROGRESS_INTERVAL_MS", "100")))
                .arguments("replay-range", "topic", source, "--from", "earliest", "--into", "topic", target,
                        "--max-rate", "10");
        replay.start();
        Awaitility.await("the replay under way").atMost(Duration.ofSeconds(60))
                .until(() -> replay.log().stream().anyMatch(line -> line.contains("to resume:")));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.deleteRecords(Map.of(new TopicPartition(source, 0), RecordsToDelete.beforeOffset(50)))
                    .all().get(30, TimeUnit.SECONDS);
        }

        assertThat(replay.waitForExit(Duration.ofSeconds(90))).as(replay.logFile().toString()).isNotZero();
        assertThat(replay.log()).anyMatch(line -> line.contains("records of " + source + "-0 from offset ")
                && line.contains("were deleted before the replay reached them (the first one kept is 50)"));
        assertThat(replay.log()).noneMatch(line -> line.startsWith("Replayed"));
    }

    @Test
    void anEmptyRangeAMissingTopicAndAFromAfterToEachSayOneLineAndExit2() {
        Map<String, String> env = environment(Map.of());
        assertThat(run(2, new BridgeProcess("replay-" + suffix + "-empty", env).arguments("replay-range", "topic", topic,
                "--from", "2027-01-01T00:00Z", "--into", "exchange", "anywhere", "--routing-key", "k"))).containsExactly(
                "Replay-range failed: nothing to replay: topic " + topic + " has no records from 2027-01-01T00:00:00Z "
                        + "to its end");
        assertThat(run(2, new BridgeProcess("replay-" + suffix + "-missing", env).arguments("replay-range", "topic",
                "missing-" + suffix, "--from", "earliest", "--into", "topic", topic))).containsExactly(
                "Replay-range failed: no topic 'missing-" + suffix + "' at " + kafka.bootstrapServers());
        List<String> reversed = run(2, new BridgeProcess("replay-" + suffix + "-reversed", env).arguments("replay-range",
                "topic", topic, "--from", DAY_3.toString(), "--to", DAY_2.toString(), "--into", "topic", "anywhere"));
        assertThat(reversed.get(0)).isEqualTo("replay-range: --from " + DAY_3 + " is not before --to " + DAY_2);
        assertThat(reversed).hasSize(3).element(1).asString().startsWith("usage: java -jar rabbitmq-kafka-bridge.jar "
                + "replay-range topic <topic> --from");
    }

    @Test
    void theJmxOperationRunsInTheBackgroundAndItsFiguresReachTheTotal() throws Exception {
        String exchange = declare("shipment.#");
        Properties overrides = new Properties();
        overrides.put("kafka.brokers", kafka.bootstrapServers());
        overrides.put("rabbitmq.host", "127.0.0.1");
        overrides.put("rabbitmq.port", "5672");
        DefaultCamelContext context = OfflineContext.create("classpath:application.properties", overrides,
                List.of(new ShipmentsToRabbitMqRoute()));
        context.addService(new RangeReplays(context), true, true);
        context.start();
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(RangeReplays.OBJECT_NAME);
            Object started = server.invoke(name, "startReplay", new Object[] {"topic " + topic + " --from " + DAY_2
                    + " --to " + DAY_3 + " --into exchange " + exchange + " --route shipments-to-rabbitmq"},
                    new String[] {String.class.getName()});

            assertThat(started).isEqualTo("topic " + topic + " (3 partitions, 120 records) from " + DAY_2 + " to " + DAY_3
                    + " into exchange " + exchange + ", routing key shipment.<status>");
            Awaitility.await("the replay done").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> server.getAttribute(name, "State").equals("done"));
            assertThat(server.getAttribute(name, "Done")).isEqualTo(120L);
            assertThat(server.getAttribute(name, "Total")).isEqualTo(120L);
            assertThat((Double) server.getAttribute(name, "Rate")).isPositive();
            assertThat(server.getAttribute(name, "EtaSeconds")).isEqualTo(0L);
            assertThat(server.getAttribute(name, "LastError")).isNull();
            assertThat(server.getAttribute(name, "NextOffsets")).isEqualTo("0:44,1:44,2:44");
            server.invoke(name, "stopReplay", new Object[0], new String[0]);
            assertThat(server.getAttribute(name, "State")).as("nothing left to stop").isEqualTo("done");
            List<Event> arrived = rabbit.drain(exchange, MIDDLE, Duration.ofSeconds(30)).stream()
                    .map(this::eventOf).toList();
            assertThat(arrived).containsExactlyInAnyOrderElementsOf(middle());
            assertInOrderPerKey(arrived, false);
        } finally {
            context.stop();
        }
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(RangeReplays.OBJECT_NAME)))
                .isFalse();
    }

    /**
     * A topic whose records stay: the events are a month old, and the default retention (7 days, by record timestamp)
     * would delete them at the broker's next retention check.
     */
    private void createKeptTopic(String name) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 1).configs(Map.of("retention.ms", "-1"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // waits until each partition has its leader
        kafka.createTopics(name);
    }

    /** A queue named like its exchange, bound with these keys; both deleted after the tests. */
    private String declare(String... bindingKeys) {
        String name = "rebuild-" + suffix + "-" + COMMANDS.incrementAndGet();
        rabbit.declareBoundQueue(name, name, bindingKeys);
        return name;
    }

    /** The middle day at 40 records a second in batches of 5, a progress line every 100 ms: seconds to stop it in. */
    private BridgeProcess throttled(String exchange) {
        return command(Map.of("BRIDGE_REPLAY_BATCH_SIZE", "5", "BRIDGE_REPLAY_PROGRESS_INTERVAL_MS", "100"),
                "--into", "exchange", exchange, "--routing-key", "shipment.<status>", "--max-rate", "40");
    }

    private void awaitSomeButNotAll(String queue) {
        Awaitility.await("a part of the replay in " + queue).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).until(() -> rabbit.messageCount(queue) >= 20);
    }

    /** replay-range of the middle day, with these words after the range. */
    private BridgeProcess command(Map<String, String> extraEnvironment, String... target) {
        List<String> words = new ArrayList<>(List.of("replay-range", "topic", topic, "--from", "2026-11-02T00:00Z",
                "--to", "2026-11-03T00:00Z"));
        words.addAll(List.of(target));
        return new BridgeProcess("replay-" + suffix + "-" + COMMANDS.incrementAndGet(), environment(extraEnvironment))
                .arguments(words.toArray(String[]::new));
    }

    private Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("KAFKA_BROKERS", kafka.bootstrapServers());
        env.put("RABBITMQ_HOST", "127.0.0.1");
        env.put("RABBITMQ_PORT", "5672");
        return env;
    }

    private static List<String> run(int exitCode, BridgeProcess command) {
        command.start();
        assertThat(command.waitForExit(Duration.ofSeconds(90))).as(command.logFile().toString()).isEqualTo(exitCode);
        return command.log();
    }

    private List<Event> middle() {
        return partitions.values().stream().flatMap(List::stream).filter(e -> e.day() == 1).toList();
    }

    private Event event(String id) {
        return partitions.values().stream().flatMap(List::stream).filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("not an event written: " + id));
    }

    private Event eventOf(GetResponse message) {
        return event(message.getProps().getMessageId());
    }

    /**
     * Each key's events arrive in their order; with {@code restart}, a key's events may start once again from an
     * earlier one (a replay resumed from before where it was killed), and then go on in order.
     */
    private static void assertInOrderPerKey(List<Event> arrived, boolean restart) {
        Map<String, Integer> last = new HashMap<>();
        Map<String, Integer> restarts = new HashMap<>();
        for (Event event : arrived) {
            Integer before = last.put(event.key(), event.seq());
            if (before != null && event.seq() <= before) {
                assertThat(restarts.merge(event.key(), 1, Integer::sum)).as("%s after seq %d of its key", event, before)
                        .isLessThanOrEqualTo(restart ? 1 : 0);
            }
        }
    }

    /** The words of a POSIX command line with single quotes, as ReplayCommandLine prints it. */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("(?:'([^']*)'|(\\S+))").matcher(line);
        while (word.find()) {
            words.add(word.group(1) != null ? word.group(1) : word.group(2));
        }
        return words;
    }
}
