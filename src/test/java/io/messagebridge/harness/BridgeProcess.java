package io.messagebridge.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * The application as an operator runs it: {@code java -jar} on the packaged jar, in its own process, configured
 * through environment variables, with its output in a log file. Tests can stop it (SIGTERM) or kill it (SIGKILL).
 */
public final class BridgeProcess implements AutoCloseable {

    /** Every application started in this test JVM, so that a failed test can show what they logged. */
    private static final List<BridgeProcess> STARTED = new CopyOnWriteArrayList<>();

    private final Map<String, String> environment;
    private final Path logFile;
    private Path jar = jar();
    private Path workingDirectory = Path.of("");
    private Path input;
    private final List<String> jvmArguments = new ArrayList<>();
    private final List<String> arguments = new ArrayList<>();
    private Process process;
    private Instant startedAt;

    public BridgeProcess(String name, Map<String, String> environment) {
        this.environment = new HashMap<>(environment);
        this.logFile = Path.of("target", "bridge-" + name + ".log").toAbsolutePath();
    }

    public static Path jar() {
        return Path.of(System.getProperty("bridge.jar", "target/rabbitmq-kafka-bridge.jar")).toAbsolutePath();
    }

    /** Options for the JVM, before -jar. */
    public BridgeProcess jvmArguments(String... options) {
        jvmArguments.addAll(List.of(options));
        return this;
    }

    /** Arguments for the application, after the jar. */
    public BridgeProcess arguments(String... args) {
        arguments.addAll(List.of(args));
        return this;
    }

    /** Another copy of the application's jar, as someone who took it elsewhere would run it. */
    public BridgeProcess jar(Path copy) {
        this.jar = copy.toAbsolutePath();
        return this;
    }

    /** Where the application looks for ./application.properties and ./routes (the project directory by default). */
    public BridgeProcess workingDirectory(Path directory) {
        this.workingDirectory = directory;
        return this;
    }

    /** A file the application reads as its stdin (none by default). */
    public BridgeProcess input(Path file) {
        this.input = file;
        return this;
    }

    public BridgeProcess start() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(jvmArguments);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        if (input != null) {
            builder.redirectInput(input.toFile());
        }
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startedAt = Instant.now();
        STARTED.add(this);
        return this;
    }

    /** Starts and waits until every route is started (queues declared, consumers subscribed). */
    public BridgeProcess startAndAwaitRoutes() {
        return startAndAwaitRoutes(Duration.ofSeconds(60));
    }

    /** {@link #startAndAwaitRoutes()} for a start that takes longer (the dev profile starting a Kafka first). */
    public BridgeProcess startAndAwaitRoutes(Duration timeout) {
        int linesBefore = log().size();
        start();
        Awaitility.await("bridge started (log: " + logFile + ")")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("bridge exited with " + process.exitValue() + ": " + logFile);
                    }
                    List<String> log = log();
                    return routesAllStarted(log.subList(linesBefore, log.size()));
                });
        return this;
    }

    /**
     * "Routes startup (total:4 started:4)" with every route started, and the line per route that Camel writes after
     * that summary ("    Started orders-to-kafka (...)"), which tests look for.
     */
    private static boolean routesAllStarted(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("Routes startup (total:")) {
                String counts = line.substring(line.indexOf("(total:") + 7, line.indexOf(')', line.indexOf("(total:")));
                String[] parts = counts.split(" started:");
                if (parts.length == 2 && parts[0].trim().equals(parts[1].trim().split(" ")[0])) {
                    long listed = lines.subList(i + 1, lines.size()).stream().filter(l -> l.contains("-     Started "))
                            .count();
                    return listed >= Integer.parseInt(parts[0].trim());
                }
            }
        }
        return false;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as a service manager or an operator would; returns the exit code. */
    public int stop() {
        if (!isAlive()) {
            return process == null ? 0 : process.exitValue();
        }
        process.destroy();
        return waitForExit(Duration.ofSeconds(60));
    }

    /** SIGKILL: no shutdown hook, nothing acked or committed on the way out. */
    public void kill() {
        if (isAlive()) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
        }
    }

    public int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("bridge did not exit within " + timeout + ": " + logFile);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public List<String> log() {
        try {
            return Files.exists(logFile) ? Files.readAllLines(logFile, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The applications started at or after {@code since}, or still running, for {@link BridgeLogsOnFailure}. */
    static List<BridgeProcess> startedSinceOrRunning(Instant since) {
        return STARTED.stream().filter(b -> !b.startedAt.isBefore(since) || b.isAlive()).toList();
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        kill();
    }
}
