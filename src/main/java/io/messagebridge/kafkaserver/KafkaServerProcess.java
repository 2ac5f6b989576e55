package io.messagebridge.kafkaserver;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one) in a JVM of its own, for the dev profile
 * and the tests, never for production: the Kafka server jars are not in the application's jar, so the caller gives
 * their class path ({@link #builtClassPath()} reads the one Maven wrote at build time). It listens on one host and
 * port (PLAINTEXT, plus any {@link #listener} added), keeps its data and its log (broker.log) in a folder that later
 * starts reuse, and ends with the process that started it, also when that process is killed ({@link KafkaServerMain}).
 */
public final class KafkaServerProcess {

    /** Written by the pom's kafka-server-classpath execution, next to the application's jar (or classes folder). */
    private static final String CLASS_PATH_FILE = "kafka-server.classpath";

    private final String classPath;
    private final Path dataDir;
    private final String host;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private final List<String> extraListeners = new ArrayList<>();
    private final Map<String, String> extraSettings = new LinkedHashMap<>();
    private Process process;

    public KafkaServerProcess(String classPath, Path dataDir, String host, int port) {
        this.classPath = classPath;
        this.dataDir = dataDir.toAbsolutePath();
        this.host = host;
        this.port = port;
        this.controllerPort = freePort();
        this.logFile = this.dataDir.resolve("broker.log");
    }

    /**
     * The class path for {@link KafkaServerMain}: the Kafka server jars listed in the file the build wrote next to
     * this application's code, then that code itself.
     */
    public static String builtClassPath() {
        Path code = codeLocation();
        Path file = code.resolveSibling(CLASS_PATH_FILE);
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("no Kafka server class path at " + file + ": it is written by the build, "
                    + "so run this jar where Maven built it, after mvn -q package -DskipTests in the project folder");
        }
        try {
            return Files.readString(file).trim() + File.pathSeparator + code;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path codeLocation() {
        try {
            return Path.of(KafkaServerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another listener on the same host, named after its security protocol, with the settings it needs. */
    public KafkaServerProcess listener(String securityProtocol, int listenerPort, Map<String, String> settings) {
        extraListeners.add(securityProtocol + "://" + host + ":" + listenerPort);
        extraSettings.putAll(settings);
        return this;
    }

    /** Broker settings of the caller's own (an authorizer, say), over the defaults. */
    public KafkaServerProcess settings(Map<String, String> settings) {
        extraSettings.putAll(settings);
        return this;
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the broker, formatting its storage the first time, and returns once it serves metadata requests; a
     * broker that exits or is not ready in time fails with the place of its log.
     */
    public synchronized void start(Duration timeout) {
        if (isRunning()) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            Path config = writeConfig();
            if (!Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
                format(config);
            }
            process = java(KafkaServerMain.class.getName(), Long.toString(ProcessHandle.current().pid()),
                    config.toString()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady(timeout);
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

    private Path writeConfig() throws IOException {
        List<String> listeners = new ArrayList<>(List.of("PLAINTEXT://" + host + ":" + port));
        listeners.addAll(extraListeners);
        List<String> protocols = new ArrayList<>();
        for (String listener : listeners) {
            String protocol = listener.substring(0, listener.indexOf(':'));
            protocols.add(protocol + ":" + protocol);
        }
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@" + host + ":" + controllerPort),
                Map.entry("listeners", String.join(",", listeners) + ",CONTROLLER://" + host + ":" + controllerPort),
                Map.entry("advertised.listeners", String.join(",", listeners)),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("listener.security.protocol.map", String.join(",", protocols) + ",CONTROLLER:PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", dataDir.resolve("log").toString()),
                Map.entry("num.partitions", "3"),
                // one broker: nothing to replicate to, and fewer partitions for the internal topics start faster
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("auto.create.topics.enable", "true")));
        p.putAll(extraSettings);
        Path config = dataDir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "single-node KRaft broker (KafkaServerProcess)");
        }
        return config;
    }

    private void format(Path config) throws IOException {
        Process format = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()).start();
        if (waitFor(format) != 0) {
            throw new IllegalStateException("formatting Kafka storage failed, see " + logFile);
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=classpath:kafka-broker-log4j2.xml",
                "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    }

    private void awaitReady(Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!(portOpen() && servesMetadata(props))) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited with " + process.exitValue() + ", see " + logFile);
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("Kafka did not answer at " + bootstrapServers() + " within "
                            + timeout.toSeconds() + " s, see " + logFile);
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while Kafka was starting", e);
        }
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
        return answers(host, port, 500);
    }

    /** Whether something accepts a TCP connection at host:port within the timeout. */
    public static boolean answers(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
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
