package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.rabbitmq.client.GetResponse;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RabbitMQ exchange orders to Kafka topic orders (Java DSL), and its audit copy (a templated route in routes/). */
class OrdersToKafkaIT {

    private static final int ORDERS = 1000;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private RabbitMq rabbit;
    private BridgeProcess bridge;

    @BeforeEach
    void startBridge() {
        rabbit = new RabbitMq();
        rabbit.forgetPipeline(names);
        Map<String, String> env = new HashMap<>(names.provision(kafka));
        // an instance that runs the orders flows only, as an operator deploys one (docs/operations.md, "Running only some flows")
        env.put("CAMEL_MAIN_ROUTEFILTEREXCLUDEPATTERN", "shipment*");
        bridge = new BridgeProcess("orders-" + names.suffix(), env).startAndAwaitRoutes();
    }

    @AfterEach
    void stopBridge() {
        bridge.stop();
        rabbit.close();
    }

    @Test
    void everyOrderArrivesOnceWithItsKeyAndHeaders() {
        assertThat(bridge.log()).as("the flows that run")
                .anyMatch(line -> line.contains("Started orders-to-kafka ("))
                .anyMatch(line -> line.contains("Started orders-audit ("))
                .noneMatch(line -> line.contains("Started shipment"));
        for (int i = 0; i < ORDERS; i++) {
            rabbit.publish(names.ordersExchange(), "order.created.eu", RabbitMq.persistentJson("msg-" + i, "corr-" + i,
                    Map.of("source", "web-shop", "attempt", i)), Traffic.order("o-" + i).getBytes(StandardCharsets.UTF_8));
        }
        rabbit.awaitConfirms();

        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(kafka, names.ordersTopic())) {
            List<ConsumerRecord<String, String>> records = KafkaRecords.pollUntil(consumer, ORDERS, Duration.ofSeconds(60));
            records.addAll(KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(1)));

            assertThat(records).hasSize(ORDERS);
            Map<String, ConsumerRecord<String, String>> byKey = records.stream()
                    .collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
            assertThat(byKey).hasSize(ORDERS);
            for (int i = 0; i < ORDERS; i++) {
                ConsumerRecord<String, String> record = byKey.get("o-" + i);
                assertThat(record).as("order o-%d", i).isNotNull();
                assertThat(record.value()).isEqualTo(Traffic.order("o-" + i));
                assertThat(KafkaRecords.header(record, "message-id")).isEqualTo("msg-" + i);
                assertThat(KafkaRecords.header(record, "correlation-id")).isEqualTo("corr-" + i);
                assertThat(KafkaRecords.header(record, "content-type")).isEqualTo("application/json");
                assertThat(KafkaRecords.header(record, "timestamp")).matches("\\d{13}");
                assertThat(KafkaRecords.header(record, "source")).isEqualTo("web-shop");
                assertThat(KafkaRecords.header(record, "attempt")).isEqualTo(Integer.toString(i));
                assertThat(KafkaRecords.header(record, "rabbitmq-exchange")).isEqualTo(names.ordersExchange());
                assertThat(KafkaRecords.header(record, "rabbitmq-routing-key")).isEqualTo("order.created.eu");
            }
        }
        // the YAML route's audit copy, keyed the same way
        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(kafka, names.auditTopic())) {
            List<ConsumerRecord<String, String>> audit = KafkaRecords.pollUntil(consumer, ORDERS, Duration.ofSeconds(60));
            assertThat(audit).extracting(ConsumerRecord::key).doesNotHaveDuplicates().contains("o-0", "o-999");
            assertThat(audit).allSatisfy(r -> {
                assertThat(KafkaRecords.header(r, "rabbitmq-exchange")).isEqualTo(names.ordersExchange());
                assertThat(KafkaRecords.header(r, "rabbitmq-routing-key")).isEqualTo("order.created.eu");
                assertThat(KafkaRecords.header(r, "message-id")).startsWith("msg-");
            });
        }
        assertThat(rabbit.messageCount(names.ordersQueue())).isZero();
        assertThat(rabbit.messageCount(names.ordersQueue() + ".dlq")).isZero();
    }

    @Test
    void badMessagesGoToTheDeadLetterQueueWithTheReasonAndGoodOnesStillArrive() {
        Map<String, String> bad = Map.of(
                "bad-not-json", "this is not json",
                "bad-no-key", "{\"total\": 12}",
                "bad-empty", "");
        rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("good-1", null, Map.of()),
                Traffic.order("o-good-1").getBytes(StandardCharsets.UTF_8));
        bad.forEach((id, body) -> rabbit.publish(names.ordersExchange(), "order.created",
                RabbitMq.persistentJson(id, null, Map.of("trace", id)), body.getBytes(StandardCharsets.UTF_8)));
        rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("good-2", null, Map.of()),
                Traffic.order("o-good-2").getBytes(StandardCharsets.UTF_8));
        rabbit.awaitConfirms();

        List<GetResponse> deadLetters = rabbit.drain(names.ordersQueue() + ".dlq", bad.size(), Duration.ofSeconds(30));
        assertThat(deadLetters).hasSize(bad.size());
        for (GetResponse dead : deadLetters) {
            String id = dead.getProps().getMessageId();
            assertThat(bad).containsKey(id);
            assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).as("original body").isEqualTo(bad.get(id));
            Map<String, Object> headers = dead.getProps().getHeaders();
            assertThat(headers.get("trace")).hasToString(id);
            assertThat(headers.get("x-error-class")).hasToString("io.messagebridge.mapping.InvalidMessageException");
            assertThat(headers.get("x-error-route")).hasToString("orders-to-kafka");
            assertThat(headers.get("x-error-attempts")).hasToString("1");
            assertThat(headers.get("x-error-time")).asString().matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(headers.get("x-origin-queue")).hasToString(names.ordersQueue());
            assertThat(headers.get("x-origin-exchange")).hasToString(names.ordersExchange());
            assertThat(headers.get("x-origin-routing-key")).hasToString("order.created");
            assertThat(dead.getProps().getDeliveryMode()).isEqualTo(2);
        }
        Map<String, String> reasons = deadLetters.stream().collect(Collectors.toMap(d -> d.getProps().getMessageId(),
                d -> d.getProps().getHeaders().get("x-error-message").toString()));
        assertThat(reasons.get("bad-not-json")).startsWith("body is not valid JSON");
        assertThat(reasons.get("bad-no-key")).isEqualTo("no 'orderId' field");
        assertThat(reasons.get("bad-empty")).isEqualTo("empty body, expected a JSON object");

        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(kafka, names.ordersTopic())) {
            List<ConsumerRecord<String, String>> records = KafkaRecords.pollUntil(consumer, 2, Duration.ofSeconds(30));
            records.addAll(KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(1)));
            assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("o-good-1", "o-good-2");
        }
        assertThat(bridge.log()).filteredOn(l -> l.contains("Dead letter from route orders-to-kafka"))
                .hasSize(bad.size())
                .anySatisfy(l -> assertThat(l).contains("message bad-no-key").contains("no 'orderId' field"));
        assertThat(bridge.log()).noneMatch(l -> l.contains("this is not json"));
        assertThat(rabbit.messageCount(names.ordersQueue())).isZero();
        Set<String> auditDeadLetters = rabbit.drain(names.auditQueue() + ".dlq", bad.size(), Duration.ofSeconds(30))
                .stream().map(d -> d.getProps().getMessageId()).collect(Collectors.toSet());
        assertThat(auditDeadLetters).isEqualTo(bad.keySet());
    }
}
