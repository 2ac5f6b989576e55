package io.messagebridge.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.rabbitmq.client.GetResponse;
import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dead letters go back to their source once the cause is fixed: from the command line, and over JMX. */
class DeadLetterReplayIT {

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final String queue = "notifications-replay-" + names.suffix();
    private final int jmxPort = KafkaBroker.freePort();
    private RabbitMq rabbit;
    private BridgeProcess bridge;

    @BeforeEach
    void start() {
        rabbit = new RabbitMq();
        rabbit.declareBoundQueue(queue, names.notificationsExchange(), "shipment.shipped");
        rabbit.forgetPipeline(names);
        bridge = new BridgeProcess("replay-" + names.suffix(), names.provision(kafka))
                .jvmArguments("-Dcom.sun.management.jmxremote.port=" + jmxPort,
                        "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                        "-Dcom.sun.management.jmxremote.authenticate=false",
                        "-Dcom.sun.management.jmxremote.ssl=false")
                .startAndAwaitRoutes();
    }

    @AfterEach
    void stop() {
        bridge.stop();
        rabbit.close();
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

    private String replay(String... args) {
        BridgeProcess command = new BridgeProcess("replay-cli-" + names.suffix() + "-" + System.nanoTime(), names.provision(kafka))
                .arguments(concat("replay", args)).start();
        assertThat(command.waitForExit(Duration.ofSeconds(120))).as("replay exit code").isZero();
        return String.join("\n", command.log());
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
