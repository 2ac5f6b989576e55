package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.PrivateFiles;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's view over remote JMX, with credentials, of the real process: Camel's route statistics and the
 * bridge's own MBeans match the traffic sent; pausing a bridge leaves messages in their queue until it is resumed;
 * roles and credentials are enforced. Also Jolokia over HTTP, for Hawtio.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JmxManagementIT {

    private static final String CONTROL_PASSWORD = "c0ntrol-s3cret";
    private static final ObjectName ORDERS = name("io.messagebridge:type=Bridge,name=\"orders-to-kafka\"");
    private static final ObjectName SHIPMENTS = name("io.messagebridge:type=Bridge,name=\"shipments-to-rabbitmq\"");
    private static final ObjectName ORDER_LINES = name("io.messagebridge:type=Bridge,name=\"order-lines-source\"");
    private static final ObjectName ORDERS_ROUTE =
            name("org.apache.camel:context=rabbitmq-kafka-bridge,type=routes,name=\"orders-to-kafka\"");

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final String notifications = "notifications-jmx-" + names.suffix();
    private final int jmxPort = KafkaBroker.freePort();
    private String managementPort;
    private RabbitMq rabbit;
    private BridgeProcess bridge;
    private KafkaConsumer<String, String> orders;

    @BeforeAll
    void start(@TempDir Path dir) {
        Path passwords = PrivateFiles.write(dir.resolve("jmx.password"),
                "monitor m0nitor-s3cret\ncontrol " + CONTROL_PASSWORD + "\n");
        Path access = PrivateFiles.write(dir.resolve("jmx.access"), "monitor readonly\ncontrol readwrite\n");
        rabbit = new RabbitMq();
        rabbit.declareBoundQueue(notifications, names.notificationsExchange(), "shipment.#");
        rabbit.forgetPipeline(names);
        Map<String, String> env = names.provision(kafka);
        env.put("BRIDGE_JMX_ENABLED", "true");
        env.put("BRIDGE_JMX_PORT", Integer.toString(jmxPort));
        env.put("BRIDGE_JMX_PASSWORD_FILE", passwords.toString());
        env.put("BRIDGE_JMX_ACCESS_FILE", access.toString());
        env.put("BRIDGE_JOLOKIA_ENABLED", "true");
        env.put("BRIDGE_DEDUP_ENABLED", "true");
        managementPort = env.get("BRIDGE_MANAGEMENT_PORT");
        bridge = new BridgeProcess("jmx-" + names.suffix(), env).startAndAwaitRoutes();
        orders = KafkaRecords.consumer(kafka, names.ordersTopic());
    }

    @AfterAll
    void stop() {
        orders.close();
        bridge.stop();
        rabbit.close();
    }

    @Test
    @Order(1)
    void routeStatisticsAndBridgeCountersMatchTheTraffic() throws Exception {
        publishOrders("a", 20);
        rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("a-bad", null, Map.of()),
                "{\"total\":1}".getBytes(StandardCharsets.UTF_8));
        rabbit.awaitConfirms();
        assertThat(KafkaRecords.pollUntil(orders, 20, Duration.ofSeconds(30))).hasSize(20);
        try (JMXConnector jmx = connect("control", CONTROL_PASSWORD)) {
            // an id is remembered once Kafka has answered for its record, a moment after a consumer can read it
            Awaitility.await("20 orders forwarded").atMost(Duration.ofSeconds(30)).until(() ->
                    jmx.getMBeanServerConnection().getAttribute(ORDERS, "MessagesForwarded").equals(20L));
        }
        publishOrders("a", 1);
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(names.shipmentsTopic(), "s-" + i, Traffic.shipment("s-" + i)));
            }
        }
        assertThat(rabbit.drain(notifications, 10, Duration.ofSeconds(30))).hasSize(10);
        // a kafka-to-route bridge (the split example): two orders handed over, one dead-lettered
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            producer.send(new ProducerRecord<>(names.orderEventsTopic(), "l-1", "{\"orderId\":\"l-1\",\"lines\":[{}]}"));
            producer.send(new ProducerRecord<>(names.orderEventsTopic(), "l-2", "{\"orderId\":\"l-2\",\"lines\":[]}"));
            producer.send(new ProducerRecord<>(names.orderEventsTopic(), "l-3", "{\"orderId\":\"l-3\",\"lines\":7}"));
        }

        try (JMXConnector jmx = connect("control", CONTROL_PASSWORD)) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            assertThat(server.queryNames(name("io.messagebridge:type=Bridge,*"), null))
                    .contains(ORDERS, SHIPMENTS, name("io.messagebridge:type=Bridge,name=\"orders-audit\""));
            Awaitility.await("statistics").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                // Camel counts the route's exchanges, batches of deliveries; the bridge's MBean counts messages
                assertThat((Long) server.getAttribute(ORDERS_ROUTE, "ExchangesCompleted")).isBetween(1L, 22L);
                assertThat(server.getAttribute(ORDERS_ROUTE, "ExchangesFailed")).isEqualTo(0L);
                assertThat(server.getAttribute(ORDERS_ROUTE, "ExchangesInflight")).isEqualTo(0L);
                assertThat(server.getAttribute(ORDERS, "MessagesForwarded")).isEqualTo(20L);
                assertThat(server.getAttribute(ORDERS, "MessagesDeadLettered")).isEqualTo(1L);
                assertThat(server.getAttribute(ORDERS, "DuplicatesDropped")).isEqualTo(1L);
                assertThat(server.getAttribute(SHIPMENTS, "MessagesForwarded")).isEqualTo(10L);
            });
            Awaitility.await("split example's counters").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(server.getAttribute(ORDER_LINES, "MessagesForwarded")).isEqualTo(2L);
                assertThat(server.getAttribute(ORDER_LINES, "MessagesDeadLettered")).isEqualTo(1L);
            });
            assertThat(server.getAttribute(ORDERS_ROUTE, "State")).isEqualTo("Started");
            assertThat((Long) server.getAttribute(ORDERS_ROUTE, "MaxProcessingTime")).isPositive();
            assertThat(server.getAttribute(ORDERS, "LastError")).asString().contains("no 'orderId' field");
            assertThat(server.getAttribute(ORDERS, "LastErrorTime")).asString().matches("\\d{4}-.*Z");
            assertThat(server.invoke(ORDERS, "countDeadLetters", new Object[0], new String[0])).isEqualTo(1L);
        }
    }

    @Test
    @Order(2)
    void aPausedBridgeLeavesMessagesInTheirQueueUntilResumed() throws Exception {
        try (JMXConnector jmx = connect("control", CONTROL_PASSWORD)) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            server.invoke(ORDERS, "pause", new Object[0], new String[0]);
            assertThat(server.getAttribute(ORDERS, "State")).isEqualTo("Suspended");

            publishOrders("b", 10);
            Awaitility.await("orders wait in the queue").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> rabbit.messageCount(names.ordersQueue()) == 10
                            && KafkaRecords.pollQuietly(orders, Duration.ofMillis(100)).isEmpty());

            server.invoke(ORDERS, "resume", new Object[0], new String[0]);
            assertThat(server.getAttribute(ORDERS, "State")).isEqualTo("Started");
            List<ConsumerRecord<String, String>> resumed = KafkaRecords.pollUntil(orders, 10, Duration.ofSeconds(30));
            assertThat(resumed).extracting(ConsumerRecord::key).hasSize(10).doesNotHaveDuplicates()
                    .allMatch(key -> key.startsWith("b-"));
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(server.getAttribute(ORDERS, "MessagesForwarded")).isEqualTo(30L));
        }
        assertThat(rabbit.messageCount(names.ordersQueue())).isZero();
    }

    @Test
    @Order(3)
    void aReadOnlyUserCanReadButNotPause() throws Exception {
        try (JMXConnector jmx = connect("monitor", "m0nitor-s3cret")) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            assertThat(server.getAttribute(ORDERS, "MessagesForwarded")).isEqualTo(30L);
            assertThatThrownBy(() -> server.invoke(ORDERS, "pause", new Object[0], new String[0]))
                    .isInstanceOf(SecurityException.class).hasMessageContaining("Access denied");
            assertThat(server.getAttribute(ORDERS, "State")).isEqualTo("Started");
        }
    }

    @Test
    @Order(4)
    void connectionsWithoutOrWithWrongCredentialsAreRefused() {
        assertThatThrownBy(() -> JMXConnectorFactory.connect(url()).close()).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> connect("control", "wrong").close()).isInstanceOf(SecurityException.class);
        assertThat(bridge.log()).noneMatch(line -> line.contains(CONTROL_PASSWORD));
    }

    @Test
    @Order(5)
    void jolokiaAnswersOverHttpForHawtio() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + managementPort + "/observe/jolokia/read/io.messagebridge:type=Bridge,"
                        + "name=%22orders-to-kafka%22/MessagesForwarded")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"value\":30").contains("\"status\":200");
    }

    private void publishOrders(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson(prefix + "-" + i, null,
                    Map.of()), Traffic.order(prefix + "-" + i).getBytes(StandardCharsets.UTF_8));
        }
        rabbit.awaitConfirms();
    }

    private JMXServiceURL url() throws IOException {
        return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
    }

    private JMXConnector connect(String user, String password) throws IOException {
        return JMXConnectorFactory.connect(url(), Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
