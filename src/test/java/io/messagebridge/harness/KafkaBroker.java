package io.messagebridge.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.messagebridge.kafkaserver.KafkaServerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.awaitility.Awaitility;

/**
 * A real single-node Apache Kafka broker in KRaft mode ({@link KafkaServerProcess}), run from the Maven Central jars on
 * the test class path in a JVM of its own, so that a test can stop it, SIGKILL it and restart it on the same port and
 * data; with a SASL listener next to the plain one, and the admin steps tests need.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The account of the broker's SASL_PLAINTEXT (PLAIN) listener, next to its PLAINTEXT one. */
    public static final String SASL_USER = "bridge";
    public static final String SASL_PASSWORD = "k4fka-sasl-s3cret";

    private static KafkaBroker shared;

    private final int port;
    private final int saslPort;
    private final KafkaServerProcess server;

    public KafkaBroker(Path dataDir, int port) {
        this(dataDir, port, Map.of());
    }

    /** With broker settings of a test's own (an authorizer, say) over the defaults. */
    public KafkaBroker(Path dataDir, int port, Map<String, String> settings) {
        this.port = port;
        this.saslPort = freePort();
        this.server = new KafkaServerProcess(classPath(), dataDir, "127.0.0.1", port)
                .listener("SASL_PLAINTEXT", saslPort, Map.of(
                        "sasl.enabled.mechanisms", "PLAIN",
                        "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + SASL_USER + "=\""
                                + SASL_PASSWORD + "\";"))
                .settings(settings);
    }

    /** One broker for the whole test JVM: starting Kafka costs seconds, and tests isolate by topic and group. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            try {
                shared = new KafkaBroker(Files.createTempDirectory(Path.of("target"), "kafka-"), freePort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            shared.start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::kill));
        }
        return shared;
    }

    public String bootstrapServers() {
        return server.bootstrapServers();
    }

    /** The listener that asks for {@link #SASL_USER} / {@link #SASL_PASSWORD} (SASL PLAIN, no TLS). */
    public String saslBootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    public int port() {
        return port;
    }

    /** Waits until the consumer group has this many members, each with partitions of its own: a rebalance is over. */
    public void awaitGroupMembers(String group, int members, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Awaitility.await(members + " members with partitions in group " + group).atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        var description = admin.describeConsumerGroups(List.of(group)).all()
                                .get(10, TimeUnit.SECONDS).get(group);
                        return description.members().size() == members && description.members().stream()
                                .allMatch(member -> !member.assignment().topicPartitions().isEmpty());
                    });
        }
    }

    /** Records of a topic that a consumer group has not committed yet, over all partitions. */
    public long groupLag(String group, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            var ends = admin.listOffsets(partitions.stream()
                            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(30, TimeUnit.SECONDS);
            return partitions.stream().mapToLong(partition -> {
                OffsetAndMetadata offset = committed.get(partition);
                return ends.get(partition).offset() - (offset == null ? 0 : offset.offset());
            }).sum();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the lag of group " + group, e);
        }
    }

    /** The names of the topics the broker has now. */
    public Set<String> topics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not list the broker's topics", e);
        }
    }

    /** Creates topics (3 partitions each) that do not exist yet, as an operator would before a bridge writes to them. */
    public void createTopics(String... topics) {
        createTopics(bootstrapServers(), List.of(topics));
    }

    /** {@link #createTopics(String...)} on a broker that someone else started. */
    public static void createTopics(String bootstrapServers, List<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var results = admin.createTopics(topics.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList())
                    .values();
            for (var result : results.entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + result.getKey(), e.getCause());
                    }
                }
            }
            // The controller has the topics now; the broker may not have applied them yet, and a producer that writes
            // before it has can stall on NOT_LEADER_OR_FOLLOWER / OUT_OF_ORDER_SEQUENCE_NUMBER. Wait for the leaders.
            Awaitility.await("leaders of " + String.join(", ", topics)).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    // right after creation the broker may not know a topic yet: UnknownTopicOrPartitionException
                    .ignoreExceptionsInstanceOf(ExecutionException.class)
                    .until(() -> admin.describeTopics(topics).allTopicNames().get().values().stream()
                            .flatMap(topic -> topic.partitions().stream())
                            .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create topics " + String.join(", ", topics) + " in time", e);
        }
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** Starts the broker, formatting its storage the first time, and returns once it serves metadata requests. */
    public void start() {
        server.start(Duration.ofSeconds(90));
    }

    /** Orderly shutdown (SIGTERM), as an operator would do. */
    public void stop() {
        server.stop();
    }

    /** SIGKILL: the broker gets no chance to flush or close anything. */
    public void kill() {
        server.kill();
    }

    public void restart() {
        stop();
        start();
    }

    @Override
    public void close() {
        stop();
    }

    /** Surefire and Failsafe put the real class path here; elsewhere (exec:exec) it is java.class.path. */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    public static int freePort() {
        return KafkaServerProcess.freePort();
    }
}
