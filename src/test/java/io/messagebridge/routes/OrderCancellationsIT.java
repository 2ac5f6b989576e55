package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.GetResponse;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.QueueListing;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RabbitMQ-fed example route (order-cancellations.yaml, through the rabbitmq-to-route template) against the real
 * brokers: each cancellation reaches both destinations with an id of its own per output, its delivery is acked only
 * then, a bad message goes to the queue's dead-letter queue, and that queue is declared again if it was deleted.
 */
class OrderCancellationsIT {

    private static final KafkaBroker KAFKA = KafkaBroker.shared();

    private final FlowNames names = FlowNames.unique();
    private final String notificationsQueue = "cancellation-notices-" + names.suffix();
    private RabbitMq rabbit;
    private BridgeProcess bridge;

    @BeforeEach
    void start() {
        rabbit = new RabbitMq();
        rabbit.forgetPipeline(names);
        rabbit.declareBoundQueue(notificationsQueue, names.notificationsExchange(), "order.cancelled.#");
        Map<String, String> env = names.provision(KAFKA);
        env.put("CAMEL_MAIN_ROUTEFILTEREXCLUDEPATTERN", "orders-to-kafka,orders-audit,shipments-to-rabbitmq,"
                + "shipment-notifications*,order-lines*,order-alerts*,order-routing*");
        bridge = new BridgeProcess("order-cancellations-" + names.suffix(), env).startAndAwaitRoutes();
    }

    @AfterEach
    void stop() {
        bridge.stop();
        rabbit.close();
    }

    @Test
    void eachCancellationReachesKafkaAndRabbitMqWithAnIdPerOutput() {
        for (int i = 1; i <= 3; i++) {
            String region = i == 2 ? "us" : "eu";
            publish("c-" + i, "order.cancelled." + region,
                    "{\"orderId\":\"o-" + i + "\",\"region\":\"" + region + "\",\"status\":\"cancelled\"}");
        }

        List<ConsumerRecord<String, String>> records = readKafka(3);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("o-1", "o-2", "o-3");
        assertThat(records).allSatisfy(record -> assertThat(KafkaRecords.header(record, "message-id"))
                .isEqualTo("c-" + record.key().substring(2) + "-0"));

        List<GetResponse> notices = rabbit.drain(notificationsQueue, 3, Duration.ofSeconds(30));
        assertThat(notices).extracting(notice -> notice.getProps().getMessageId())
                .containsExactlyInAnyOrder("c-1-1", "c-2-1", "c-3-1");
        assertThat(notices).extracting(notice -> notice.getEnvelope().getRoutingKey())
                .containsExactlyInAnyOrder("order.cancelled.eu", "order.cancelled.us", "order.cancelled.eu");
        assertThat(notices).allSatisfy(notice -> assertThat(notice.getProps().getDeliveryMode()).isEqualTo(2));
        assertThat(new String(notices.get(0).getBody(), StandardCharsets.UTF_8)).contains("\"status\":\"cancelled\"");

        // acked once both outputs were confirmed
        Awaitility.await("source queue settled").atMost(Duration.ofSeconds(30))
                .until(() -> rabbit.messageCount(names.orderCancellationsQueue()) == 0);
        assertThat(rabbit.messageCount(names.orderCancellationsQueue() + ".dlq")).isZero();
    }

    @Test
    void aBadMessageIsDeadLetteredAndADeletedDeadLetterQueueIsDeclaredAgain() {
        String deadLetters = names.orderCancellationsQueue() + ".dlq";
        publish("bad-1", "order.cancelled.eu", "{\"region\":\"eu\"}");
        List<GetResponse> first = rabbit.drain(deadLetters, 1, Duration.ofSeconds(30));
        assertThat(first).singleElement().satisfies(dead -> {
            assertThat(dead.getProps().getMessageId()).isEqualTo("bad-1");
            assertThat(dead.getProps().getHeaders().get("x-error-message").toString()).isEqualTo("no 'orderId' field");
            assertThat(dead.getProps().getHeaders().get("x-error-route").toString()).isEqualTo("order-cancellations");
        });

        rabbit.deleteQueue(deadLetters);
        publish("bad-2", "order.cancelled.eu", "{\"orderId\":\"o-9\"}");
        publish("c-10", "order.cancelled.us", "{\"orderId\":\"o-10\",\"region\":\"us\"}");
        // polling the queue before it exists again would close the test's channel
        Awaitility.await("dead-letter queue declared again").atMost(Duration.ofSeconds(30))
                .until(() -> QueueListing.queuesBoundTo(names.deadLetterExchange()).contains(deadLetters));
        List<GetResponse> second = rabbit.drain(deadLetters, 1, Duration.ofSeconds(30));
        assertThat(second).singleElement().satisfies(dead -> {
            assertThat(dead.getProps().getMessageId()).isEqualTo("bad-2");
            assertThat(dead.getProps().getHeaders().get("x-error-message").toString()).isEqualTo("no 'region' field");
        });
        assertThat(rabbit.drain(notificationsQueue, 1, Duration.ofSeconds(30)))
                .extracting(notice -> notice.getProps().getMessageId()).containsExactly("c-10-1");
        Awaitility.await("source queue settled").atMost(Duration.ofSeconds(30))
                .until(() -> rabbit.messageCount(names.orderCancellationsQueue()) == 0);
    }

    private void publish(String messageId, String routingKey, String body) {
        rabbit.publish(names.ordersExchange(), routingKey, RabbitMq.persistentJson(messageId, null, Map.of()),
                body.getBytes(StandardCharsets.UTF_8));
        rabbit.awaitConfirms();
    }

    private List<ConsumerRecord<String, String>> readKafka(int expected) {
        try (KafkaConsumer<String, String> consumer = KafkaRecords.consumer(KAFKA, names.orderCancellationsTopic())) {
            List<ConsumerRecord<String, String>> records = KafkaRecords.pollUntil(consumer, expected, Duration.ofSeconds(60));
            records.addAll(KafkaRecords.pollQuietly(consumer, Duration.ofSeconds(1)));
            return records;
        }
    }
}
