package io.messagebridge.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Poison messages in the middle of 20,000 good ones each way: each poison lands in the dead-letter destination,
 * byte for byte as it was sent, with its reason; every good message arrives; nothing blocks.
 */
class PoisonMessagesIT {

    private static final int MESSAGES = 20_000;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private BridgeProcess bridge;
    private Traffic traffic;

    @BeforeEach
    void start() {
        bridge = new BridgeProcess("poison-" + names.suffix(), names.provision(kafka)).startAndAwaitRoutes();
        traffic = new Traffic(kafka, names, MESSAGES);
    }

    @AfterEach
    void stop() {
        System.out.println("PoisonMessagesIT: " + traffic.report());
        bridge.stop();
        traffic.close();
    }

    @Test
    void poisonGoesToTheDeadLetterDestinationsAndEveryGoodMessageArrives() {
        Map<String, byte[]> rabbitPoison = new LinkedHashMap<>();
        rabbitPoison.put("p-not-json", bytes("definitely not json"));
        rabbitPoison.put("p-not-utf8", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF});
        rabbitPoison.put("p-empty", new byte[0]);
        rabbitPoison.put("p-no-key", bytes("{\"total\": 1}"));
        rabbitPoison.put("p-too-large", bytes("{\"orderId\":\"o-big\",\"pad\":\"" + "x".repeat(1_500_000) + "\"}"));
        // its publisher's headers try to say where its dead letter goes
        rabbitPoison.put("p-steering", bytes("{\"total\": 2}"));
        String steeredTopic = "steered-" + names.suffix();
        Map<String, byte[]> kafkaPoison = new LinkedHashMap<>();
        kafkaPoison.put("k-not-json", bytes("nope"));
        kafkaPoison.put("k-not-utf8", new byte[] {(byte) 0xC3, 0x28});
        kafkaPoison.put("k-empty", new byte[0]);
        kafkaPoison.put("k-no-status", bytes("{\"orderId\":\"x\"}"));
        kafkaPoison.put("k-bad-status", bytes("{\"orderId\":\"x\",\"status\":\"in.transit\"}"));

        traffic.fill(0, MESSAGES / 2);
        try (RabbitMq rabbit = new RabbitMq(); CheckedProducer<String, byte[]> producer = KafkaRecords.bytesProducer(kafka)) {
            rabbitPoison.forEach((id, body) -> rabbit.publish(names.ordersExchange(), "order.created",
                    new AMQP.BasicProperties.Builder().messageId(id).contentType("text/plain").deliveryMode(2)
                            .headers(id.equals("p-steering") ? Map.of("kafka.TOPIC", steeredTopic,
                                    "x-origin-queue", "elsewhere", "X-Error-Route", "nobody") : null).build(),
                    body));
            // header values AMQP allows but Kafka does not carry are not poison: they cross as strings
            rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("p-odd-headers", null,
                    Map.of("nested", Map.of("a", 1), "list", List.of(1, 2), "when", new Date(1_700_000_000_000L),
                            "amount", new BigDecimal("12.50"))), bytes(Traffic.order("o-odd-headers")));
            rabbit.awaitConfirms();
            kafkaPoison.forEach((key, value) -> producer.send(new ProducerRecord<>(names.shipmentsTopic(), key, value)));
        }
        traffic.fill(MESSAGES / 2, MESSAGES);

        try (RabbitMq rabbit = new RabbitMq()) {
            List<GetResponse> dead = rabbit.drain(names.ordersQueue() + ".dlq", rabbitPoison.size(), Duration.ofSeconds(120));
            Map<String, GetResponse> byId = dead.stream()
                    .collect(Collectors.toMap(d -> d.getProps().getMessageId(), Function.identity()));
            assertThat(byId).containsOnlyKeys(rabbitPoison.keySet());
            rabbitPoison.forEach((id, body) -> {
                assertThat(byId.get(id).getBody()).as("%s body", id).isEqualTo(body);
                assertThat(byId.get(id).getProps().getContentType()).isEqualTo("text/plain");
            });
            assertThat(reason(byId.get("p-not-json"))).startsWith("body is not valid JSON");
            assertThat(reason(byId.get("p-not-utf8"))).startsWith("body is not valid JSON");
            assertThat(reason(byId.get("p-empty"))).isEqualTo("empty body, expected a JSON object");
            assertThat(reason(byId.get("p-no-key"))).isEqualTo("no 'orderId' field");
            assertThat(byId.get("p-too-large").getProps().getHeaders().get("x-error-class"))
                    .hasToString("org.apache.kafka.common.errors.RecordTooLargeException");
            // the quotes of the message stay beside it, on the dead letter
            assertThat(reason(byId.get("p-not-json"))).contains("'definitely'");
            Map<String, Object> steered = byId.get("p-steering").getProps().getHeaders();
            assertThat(steered).doesNotContainKey("X-Error-Route");
            assertThat(steered.get("x-origin-queue")).hasToString(names.ordersQueue());
            assertThat(steered.get("x-error-route")).hasToString("orders-to-kafka");
        }
        try (KafkaConsumer<String, byte[]> consumer = KafkaRecords.bytesConsumer(kafka, names.shipmentsTopic() + ".DLT")) {
            List<ConsumerRecord<String, byte[]>> dead = KafkaRecords.pollUntil(consumer, kafkaPoison.size(),
                    Duration.ofSeconds(120));
            dead.addAll(KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(1)));
            Map<String, ConsumerRecord<String, byte[]>> byKey = dead.stream()
                    .collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
            assertThat(byKey).containsOnlyKeys(kafkaPoison.keySet());
            kafkaPoison.forEach((key, value) -> assertThat(byKey.get(key).value()).as("%s value", key).isEqualTo(value));
            assertThat(KafkaRecords.header(byKey.get("k-no-status"), "x-error-message")).isEqualTo("no 'status' field");
            assertThat(KafkaRecords.header(byKey.get("k-bad-status"), "x-error-message"))
                    .contains("cannot be part of a routing key").contains("'in.transit'");
        }

        traffic.awaitAll(Duration.ofMinutes(3));
        assertThat(traffic.ordersDelivered()).as(traffic.report()).isEqualTo(MESSAGES + 1); // + o-odd-headers
        assertThat(traffic.notificationsDelivered()).as(traffic.report()).isEqualTo(MESSAGES);
        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(kafka, names.ordersTopic())) {
            ConsumerRecord<String, String> odd = KafkaRecords.pollUntil(consumer, MESSAGES + 1, Duration.ofSeconds(60))
                    .stream().filter(r -> "o-odd-headers".equals(r.key())).findFirst().orElseThrow();
            assertThat(KafkaRecords.header(odd, "when")).isEqualTo("1700000000000");
            assertThat(KafkaRecords.header(odd, "amount")).isEqualTo("12.50");
            assertThat(KafkaRecords.header(odd, "list")).isEqualTo("[1, 2]");
            assertThat(KafkaRecords.header(odd, "nested")).isEqualTo("{a=1}");
        }
        assertThat(bridge.log()).filteredOn(l -> l.contains("Dead letter from route orders-to-kafka"))
                .hasSize(rabbitPoison.size());
        assertThat(bridge.log()).filteredOn(l -> l.contains("Dead letter from route shipments-to-rabbitmq"))
                .hasSize(kafkaPoison.size());
        // no piece of a message in the log: not the token the parser stopped at, not a field's value
        assertThat(bridge.log()).noneMatch(l -> l.contains("definitely") || l.contains("in.transit"));
        assertThat(kafka.topics()).noneMatch(topic -> topic.startsWith(steeredTopic));
    }

    private static String reason(GetResponse deadLetter) {
        return deadLetter.getProps().getHeaders().get("x-error-message").toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
