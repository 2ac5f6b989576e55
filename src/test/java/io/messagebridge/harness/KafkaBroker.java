package io.messagebridge.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.awaitility.Awaitility;

/**
 * A real single-node Apache Kafka broker in KRaft mode, run from the Maven Central jars on the test class path in a
 * JVM of its own, so that a test can stop it, SIGKILL it and restart it on the same port and data.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The account of the broker's SASL_PLAINTEXT (PLAIN) listener, next to its PLAINTEXT one. */
    public static final String SASL_USER = "bridge";
    public static final String SASL_PASSWORD = "k4fka-sasl-s3cret";

    private static KafkaBroker shared;

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int saslPort;
    private final Path logFile;
    private final Map<String, String> settings;
    private Process process;

    public KafkaBroker(Path dataDir, int port) {
        this(dataDir, port, Map.of());
    }

    /** With broker settings of a test's own (an authorizer, say) over the defaults. */
    public KafkaBroker(Path dataDir, int port, Map<String, String> settings) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = freePort();
        this.saslPort = freePort();
        this.logFile = dataDir.resolve("broker.log");
        this.settings = settings;
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
        return "127.0.0.1:" + port;
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

    /** Creates topics (3 partitions each) that do not exist yet, as an operator would before a bridge writes to them. */
    public void createTopics(String... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            var results = admin.createTopics(Arrays.stream(topics).map(t -> new NewTopic(t, 3, (short) 1)).toList())
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
                    .until(() -> admin.describeTopics(Arrays.asList(topics)).allTopicNames().get().values().stream()
                            .flatMap(topic -> topic.partitions().stream())
                            .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create topics " + String.join(", ", topics) + " in time", e);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the broker, formatting its storage the first time, and returns once it serves metadata requests. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            Path config = writeConfig();
            if (!Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
                format(config);
            }
            process = java("kafka.Kafka", config.toString())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady(Duration.ofSeconds(90));
    }

    /** Orderly shutdown (SIGTERM), as an operator would do. */
    public synchronized void stop() {
        if (isRunning()) {
            process.destroy();
            waitFor(process);
        }
    }

    /** SIGKILL: the broker gets no chance to flush or close anything. */
    public synchronized void kill() {
        if (isRunning()) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    public void restart() {
        stop();
        start();
    }

    @Override
    public void close() {
        stop();
    }

    private Path writeConfig() throws IOException {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort
                        + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("sasl.enabled.mechanisms", "PLAIN"),
                Map.entry("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + SASL_USER + "=\""
                                + SASL_PASSWORD + "\";"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", dataDir.resolve("log").toString()),
                Map.entry("num.partitions", "3"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("auto.create.topics.enable", "true")));
        p.putAll(settings);
        Path config = dataDir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "single-node KRaft broker for tests");
        }
        return config;
    }

    private void format(Path config) throws IOException {
        Process format = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        if (waitFor(format) != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed, see " + logFile);
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=classpath:kafka-broker-log4j2.xml",
                "-cp", classPath(), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    /** Surefire and Failsafe put the real class path here; elsewhere (exec:exec) it is java.class.path. */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private void awaitReady(Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        Awaitility.await("Kafka broker on port " + port + " (log: " + logFile + ")")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "Kafka broker exited with " + process.exitValue() + ", see " + logFile);
                    }
                    return portOpen() && servesMetadata(props);
                });
    }

    private static boolean servesMetadata(Properties props) {
        try (Admin admin = Admin.create(props)) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception notYet) {
            // the broker listens before it has caught up with its metadata log
            return false;
        }
    }

    private boolean portOpen() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int waitFor(Process p) {
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return p.waitFor();
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
