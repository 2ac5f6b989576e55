package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.rabbitmq.client.GetResponse;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.QueueListing;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What the Kafka-fed pattern routes promise, against the real brokers and the packaged application: nothing lost when
 * the application is killed in the middle of a split, outputs of one key in the order of their inputs through a
 * broker restart, one message-id per output, and an alert no queue takes dead-lettered instead of dropped.
 */
class PatternDeliveryIT {

    private static final KafkaBroker KAFKA = KafkaBroker.shared();
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final Pattern INDEX = Pattern.compile("\"index\":(\\d+)");

    private final FlowNames names = FlowNames.unique();
    private final List<BridgeProcess> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(BridgeProcess::stop);
        // the broker is shared with the tests that follow: a test that failed during an outage must not take them down
        if (!KAFKA.isRunning()) {
            KAFKA.start();
        }
    }

    @Test
    void aSplitKilledMidStreamDeliversEveryLineAfterARestart(TestInfo test) {
        int orders = 20_000;
        int linesPerOrder = 3;
        Map<String, String> env = names.provision(KAFKA);
        onlyFlows(env, "order-lines");
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(KAFKA)) {
            for (int i = 0; i < orders; i++) {
                ProducerRecord<String, String> order = new ProducerRecord<>(names.orderEventsTopic(), "o-" + i,
                        order("o-" + i, i, "us", "created", linesPerOrder));
                order.headers().add("message-id", ("m-" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(order);
            }
        }
        BridgeProcess bridge = start(test, env);
        Set<String> expected = IntStream.range(0, orders).boxed()
                .flatMap(i -> IntStream.range(0, linesPerOrder).mapToObj(n -> "m-" + i + "-" + n))
                .collect(Collectors.toSet());
        List<ConsumerRecord<String, String>> lines = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(KAFKA, names.orderLinesTopic())) {
            lines.addAll(KafkaRecords.pollUntil(consumer, 3_000, Duration.ofSeconds(60)));
            bridge.kill();
            int atKill = distinctIds(lines).size();

            bridge.startAndAwaitRoutes();
            Awaitility.await("every line after the restart").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(lines::add);
                        return distinctIds(lines).size() >= expected.size();
                    });
            lines.addAll(KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(1)));
            System.out.printf("%s: %d of %d lines at the kill; %d records for %d lines after the restart%n",
                    test.getDisplayName(), atKill, expected.size(), lines.size(), expected.size());
            assertThat(atKill).as("killed mid-stream").isLessThan(expected.size());
        }
        assertThat(distinctIds(lines)).as("one message-id per line, every line").isEqualTo(expected);
        // a redelivered order gives its lines again, with the same ids and bodies
        Map<String, Set<String>> bodiesById = lines.stream().collect(Collectors.groupingBy(
                line -> KafkaRecords.header(line, "message-id"), Collectors.mapping(ConsumerRecord::value, Collectors.toSet())));
        assertThat(bodiesById.values()).allSatisfy(bodies -> assertThat(bodies).hasSize(1));
        assertThat(lines).allSatisfy(line -> assertThat(line.value()).contains("\"orderId\":\"" + line.key() + "\""));
    }

    @Test
    void outputsOfAKeyKeepTheirInputsOrderThroughABrokerRestart(TestInfo test) {
        int keys = 40;
        int eventsPerKey = 100;
        Map<String, String> env = names.provision(KAFKA);
        onlyFlows(env, "order-lines", "order-routing");
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(KAFKA)) {
            for (int seq = 0; seq < eventsPerKey; seq++) {
                for (int k = 0; k < keys; k++) {
                    String status = seq % 10 == 9 ? "cancelled" : "created";
                    producer.send(new ProducerRecord<>(names.orderEventsTopic(), "k-" + k,
                            order("k-" + k, seq, k % 2 == 0 ? "eu" : "us", status, 2)));
                }
            }
        }
        BridgeProcess bridge = start(test, env);
        try (KafkaConsumer<String, String> lines = KafkaRecords.consumer(KAFKA, names.orderLinesTopic())) {
            KafkaRecords.pollUntil(lines, 500, Duration.ofSeconds(60));
        }
        KAFKA.kill();
        KAFKA.start();

        int events = keys * eventsPerKey;
        List<ConsumerRecord<String, String>> lines = readDistinct(List.of(names.orderLinesTopic()), events * 2);
        assertThat(lines).hasSize(events * 2);
        assertInputOrderPerKey(lines);
        List<ConsumerRecord<String, String>> routed = readDistinct(
                List.of(names.cancelledOrdersTopic(), names.priorityOrdersTopic(), names.otherOrdersTopic()), events);
        assertThat(routed).as("each event routed once").hasSize(events);
        Map<String, List<ConsumerRecord<String, String>>> byTopic = routed.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::topic));
        byTopic.values().forEach(PatternDeliveryIT::assertInputOrderPerKey);
        assertThat(byTopic.get(names.cancelledOrdersTopic())).hasSize(events / 10);
        assertThat(byTopic.get(names.priorityOrdersTopic())).hasSize(events * 9 / 20);
        assertThat(bridge.isAlive()).isTrue();
    }

    @Test
    void anAlertThatNoQueueTakesIsDeadLetteredWithItsOrder(TestInfo test) {
        Map<String, String> env = names.provision(KAFKA);
        onlyFlows(env, "order-alerts");
        BridgeProcess bridge = start(test, env);
        try (RabbitMq rabbit = new RabbitMq(); CheckedProducer<String, String> producer = KafkaRecords.producer(KAFKA)) {
            rabbit.forget(null, names.alertsExchange());
            for (String region : List.of("eu", "us", "apac")) {
                producer.send(new ProducerRecord<>(names.orderEventsTopic(), "big-" + region,
                        "{\"orderId\":\"big-" + region + "\",\"region\":\"" + region + "\",\"total\":5000}"));
            }
            producer.send(new ProducerRecord<>(names.orderEventsTopic(), "small", "{\"orderId\":\"small\",\"region\":\"eu\",\"total\":10}"));
            producer.flush();

            List<ConsumerRecord<String, String>> deadLetters = read(names.orderEventsTopic() + ".DLT", 3);
            assertThat(deadLetters).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("big-eu", "big-us", "big-apac");
            assertThat(deadLetters).allSatisfy(dead -> {
                assertThat(KafkaRecords.header(dead, "x-error-route")).isEqualTo("order-alerts");
                assertThat(KafkaRecords.header(dead, "x-error-class")).endsWith("UnroutableMessageException");
                assertThat(KafkaRecords.header(dead, "x-error-message")).isEqualTo("unroutable: no queue bound to exchange '"
                        + names.alertsExchange() + "' for routing key 'order.high-value." + dead.key().substring(4)
                        + "' (NO_ROUTE)");
                assertThat(dead.value()).startsWith("{\"orderId\":\"" + dead.key() + "\"");
            });
            assertThat(bridge.log()).filteredOn(line -> line.contains("Dead letter from route order-alerts")).hasSize(3);

            // once a queue is bound, the next alert is delivered, with its own id
            String queue = "alerts-eu-" + names.suffix();
            rabbit.declareBoundQueue(queue, names.alertsExchange(), "order.high-value.eu");
            ProducerRecord<String, String> order = new ProducerRecord<>(names.orderEventsTopic(), "big-eu-2",
                    "{\"orderId\":\"big-eu-2\",\"region\":\"eu\",\"total\":7000}");
            order.headers().add("message-id", "m-7000".getBytes(StandardCharsets.UTF_8));
            producer.send(order);
            producer.flush();
            List<GetResponse> alerts = rabbit.drain(queue, 1, Duration.ofSeconds(30));
            assertThat(alerts).singleElement().satisfies(alert -> {
                assertThat(alert.getProps().getMessageId()).isEqualTo("m-7000-0");
                assertThat(alert.getEnvelope().getRoutingKey()).isEqualTo("order.high-value.eu");
                assertThat(alert.getProps().getHeaders()).doesNotContainKeys("kafka.KEY", "kafka.TOPIC", "message-id");
            });
            assertThat(read(names.orderEventsTopic() + ".DLT", 3)).hasSize(3);
        }
    }

    @Test
    void noProducerLeavesAQueueBehind(TestInfo test) {
        Set<String> before = QueueListing.nonDurableQueues();
        Map<String, String> env = names.provision(KAFKA);
        try (RabbitMq rabbit = new RabbitMq(); CheckedProducer<String, String> producer = KafkaRecords.producer(KAFKA)) {
            rabbit.forgetPipeline(names);
            String queue = "alerts-" + names.suffix();
            rabbit.declareBoundQueue(queue, names.alertsExchange(), "order.high-value.#");
            start(test, env);
            producer.send(new ProducerRecord<>(names.orderEventsTopic(), "o-1",
                    "{\"orderId\":\"o-1\",\"region\":\"eu\",\"total\":5000,\"lines\":[]}"));
            producer.flush();
            // the alerts producer has started and published by now
            assertThat(rabbit.drain(queue, 1, Duration.ofSeconds(30))).hasSize(1);
            Set<String> after = QueueListing.nonDurableQueues();
            after.removeAll(before);
            assertThat(after).as("non-durable, auto-delete or exclusive queues the application added").isEmpty();
            assertThat(QueueListing.queuesBoundTo(names.alertsExchange())).containsExactly(queue);
        }
    }

    private BridgeProcess start(TestInfo test, Map<String, String> env) {
        BridgeProcess bridge = new BridgeProcess(test.getTestMethod().orElseThrow().getName() + "-" + names.suffix(), env);
        started.add(bridge);
        return bridge.startAndAwaitRoutes();
    }

    /** Only these pattern routes (and their sources) run: the other flows would only compete for the 2 cores. */
    private static void onlyFlows(Map<String, String> env, String... flows) {
        List<String> others = new ArrayList<>(List.of("orders-to-kafka", "orders-audit", "shipments-to-rabbitmq",
                "shipment-notifications*", "order-lines*", "order-alerts*", "order-routing*", "order-cancellations*"));
        for (String flow : flows) {
            others.remove(flow + "*");
        }
        env.put("CAMEL_MAIN_ROUTEFILTEREXCLUDEPATTERN", String.join(",", others));
    }

    private static String order(String id, int seq, String region, String status, int lines) {
        String items = IntStream.range(0, lines).mapToObj(n -> "{\"sku\":\"S" + n + "\",\"seq\":" + seq + "}")
                .collect(Collectors.joining(","));
        return "{\"orderId\":\"" + id + "\",\"seq\":" + seq + ",\"region\":\"" + region + "\",\"status\":\"" + status
                + "\",\"total\":20,\"lines\":[" + items + "]}";
    }

    private static Set<String> distinctIds(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> KafkaRecords.header(r, "message-id")).collect(Collectors.toSet());
    }

    /** The first copy of every message-id, in the order of the topics' partitions, once at least {@code expected}. */
    private static List<ConsumerRecord<String, String>> readDistinct(List<String> topics, int expected) {
        Map<String, ConsumerRecord<String, String>> first = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(KAFKA, topics.get(0))) {
            consumer.subscribe(topics);
            Awaitility.await(expected + " distinct records on " + topics).atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> first.putIfAbsent(KafkaRecords.header(r, "message-id"), r));
                        return first.size() >= expected;
                    });
            KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(2)).forEach(r -> first.putIfAbsent(KafkaRecords.header(r, "message-id"), r));
        }
        return new ArrayList<>(first.values());
    }

    /** Per key, the first copies of the outputs follow their inputs' order (seq, then line index). */
    private static void assertInputOrderPerKey(List<ConsumerRecord<String, String>> records) {
        Map<String, List<Long>> positions = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            long position = number(SEQ, record.value()) * 1000 + number(INDEX, record.value());
            positions.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(position);
        }
        assertThat(positions).isNotEmpty().allSatisfy((key, order) -> assertThat(order).as(key).isSorted());
    }

    private static long number(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    private static List<ConsumerRecord<String, String>> read(String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(KAFKA, topic)) {
            List<ConsumerRecord<String, String>> records = KafkaRecords.pollUntil(consumer, expected, Duration.ofSeconds(60));
            records.addAll(KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(1)));
            return records;
        }
    }
}
