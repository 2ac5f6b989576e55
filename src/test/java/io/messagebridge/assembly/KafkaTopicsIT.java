package io.messagebridge.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application creates every topic its routes read and write, dead-letter topics included, before any route
 * starts, with the partitions configured, and leaves an existing topic as it is; a topic it may not create stops
 * start-up with one line, and once an administrator created it the application starts.
 */
class KafkaTopicsIT {

    private final FlowNames names = FlowNames.unique();

    @Test
    void everyTopicOfTheRoutesExistsWithTheConfiguredPartitionsBeforeAnyRouteStarts() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        // there already, with partitions of its own (the harness makes 3): left as it is
        kafka.createTopics(names.shipmentsTopic());
        Map<String, String> env = names.environment(kafka);
        env.put("BRIDGE_KAFKA_TOPICS_PARTITIONS", "4");
        env.put("BRIDGE_DEDUP_ENABLED", "true");
        env.put("BRIDGE_DEDUP_REPOSITORY", "kafka");
        try (RabbitMq rabbit = new RabbitMq();
             BridgeProcess bridge = new BridgeProcess("topics-" + names.suffix(), env).startAndAwaitRoutes();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            rabbit.forgetPipeline(names);

            // nothing more and nothing less than the topics of the routes, their dead-letter topics and dedup's
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .filteredOn(topic -> topic.endsWith(names.suffix()) || topic.endsWith(names.suffix() + ".DLT"))
                    .containsExactlyInAnyOrderElementsOf(names.topics());
            Map<String, TopicDescription> topics = admin.describeTopics(names.topics()).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            List<String> created = new ArrayList<>(names.topics());
            created.remove(names.shipmentsTopic());
            // 4 partitions, not the broker's 3 of an auto-created topic: the application made them
            assertThat(created).hasSize(14).allSatisfy(topic -> {
                assertThat(topics.get(topic).partitions()).as(topic).hasSize(4)
                        .allSatisfy(partition -> {
                            assertThat(partition.replicas()).as("one broker, one replica").hasSize(1);
                            assertThat(partition.leader()).isNotNull();
                        });
            });
            assertThat(topics.get(names.shipmentsTopic()).partitions()).hasSize(3);

            List<String> log = bridge.log();
            int ready = indexOf(log, "Kafka topics ready, each partition answering from its leader: created ");
            assertThat(ready).as("ready line in %s", bridge.logFile()).isNotNegative()
                    .isLessThan(indexOf(log, "Routes startup (total:"));
            assertThat(log.get(ready))
                    .contains(created.stream().sorted().collect(Collectors.joining(", ")))
                    .contains("(4 partitions, replication factor 1); found " + names.shipmentsTopic());

            // an order goes straight through to its brand-new topic: no stall on a partition still opening
            rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("t-1", null, Map.of()),
                    Traffic.order("o-1").getBytes(StandardCharsets.UTF_8));
            rabbit.awaitConfirms();
            try (KafkaConsumer<String, String> orders = KafkaRecords.consumer(kafka, names.ordersTopic())) {
                assertThat(KafkaRecords.pollUntil(orders, 1, Duration.ofSeconds(20)))
                        .extracting(ConsumerRecord::key).containsExactly("o-1");
            }
        }
    }

    @Test
    void aTopicTheBridgesUserMayNotCreateStopsStartUpWithOneLineUntilAnAdministratorCreatesIt(@TempDir Path dir)
            throws Exception {
        // PLAINTEXT clients (the harness, the broker itself) are super users; the bridge logs in over SASL as a user
        // that may read, write and describe every topic, but not create one
        try (KafkaBroker kafka = new KafkaBroker(Files.createTempDirectory(Path.of("target"), "kafka-acl-"),
                KafkaBroker.freePort(), Map.of(
                        "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "super.users", "User:ANONYMOUS"))) {
            kafka.start();
            allowAllButCreate(kafka);
            String missing = names.shipmentsTopic() + ".DLT";
            List<String> others = new ArrayList<>(names.topics());
            others.remove(missing);
            kafka.createTopics(others.toArray(String[]::new));
            Map<String, String> env = names.environment(kafka);
            env.put("KAFKA_BROKERS", kafka.saslBootstrapServers());
            env.put("BRIDGE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
            env.put("BRIDGE_KAFKA_SASL_MECHANISM", "PLAIN");
            Path secrets = Files.writeString(dir.resolve("bridge-secrets.properties"), "bridge.kafka.sasl-jaas-config="
                    + "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                    + KafkaBroker.SASL_USER + "\" password=\"" + KafkaBroker.SASL_PASSWORD + "\";\n");
            env.put("BRIDGE_SECRETS_FILE", secrets.toString());
            env.put("BRIDGE_DEDUP_ENABLED", "true");
            env.put("BRIDGE_DEDUP_REPOSITORY", "kafka");

            try (RabbitMq rabbit = new RabbitMq()) {
                rabbit.forgetPipeline(names);
                try (BridgeProcess refused = new BridgeProcess("topics-acl-" + names.suffix(), env).start()) {
                    assertThat(refused.waitForExit(Duration.ofSeconds(90))).isEqualTo(2);
                    assertThat(refused.log()).filteredOn(line -> line.contains("ERROR")).singleElement().asString()
                            .contains("Start-up failed: Kafka topic " + missing + " is missing and the bridge's Kafka "
                                    + "user may not create it: have an administrator create it (6 partitions, "
                                    + "replication factor 1")
                            .contains("grant that user CREATE on it");
                    assertThat(refused.log()).noneMatch(line -> line.startsWith("\tat "))
                            .noneMatch(line -> line.contains(KafkaBroker.SASL_PASSWORD))
                            .noneMatch(line -> line.contains("Routes startup"));
                }

                kafka.createTopics(missing);
                try (BridgeProcess bridge = new BridgeProcess("topics-acl-ok-" + names.suffix(), env)
                        .startAndAwaitRoutes()) {
                    assertThat(bridge.log()).filteredOn(line -> line.contains("Kafka topics ready")).singleElement()
                            .asString().endsWith("Kafka topics ready, each partition answering from its leader: found "
                                    + names.topics().stream().sorted().collect(Collectors.joining(", ")));
                }
            }
        }
    }

    private static void allowAllButCreate(KafkaBroker kafka) throws Exception {
        String user = "User:" + KafkaBroker.SASL_USER;
        List<AclBinding> acls = new ArrayList<>();
        for (AclOperation operation : List.of(AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE)) {
            acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, ResourcePattern.WILDCARD_RESOURCE,
                    PatternType.LITERAL), new AccessControlEntry(user, "*", operation, AclPermissionType.ALLOW)));
        }
        acls.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, ResourcePattern.WILDCARD_RESOURCE,
                PatternType.LITERAL), new AccessControlEntry(user, "*", AclOperation.READ, AclPermissionType.ALLOW)));
        acls.add(new AclBinding(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                new AccessControlEntry(user, "*", AclOperation.IDEMPOTENT_WRITE, AclPermissionType.ALLOW)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static int indexOf(List<String> log, String text) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
