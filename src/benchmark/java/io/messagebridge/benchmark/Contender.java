package io.messagebridge.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import org.awaitility.Awaitility;

/** One side of the comparison: the application (its packaged jar) or the raw-client bridge, in processes of their own. */
enum Contender {

    APPLICATION("application", "application") {
        @Override
        Running start(Direction direction, FlowNames names, Map<String, String> env, int instance) {
            // no route files: the example YAML routes would also read the source and skew the comparison
            return application(direction.otherFlows, false, names, env, instance);
        }
    },

    RAW("raw", "raw clients") {
        @Override
        Running start(Direction direction, FlowNames names, Map<String, String> env, int instance) {
            Properties settings = applicationProperties();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
            command.addAll(jvmOptions("benchmark.raw-jvm-options"));
            command.addAll(List.of(
                    "-Draw.kafka=" + env.get("KAFKA_BROKERS"),
                    "-Draw.rabbitmq-host=" + env.get("RABBITMQ_HOST"),
                    "-Draw.rabbitmq-port=" + env.get("RABBITMQ_PORT"),
                    "-Draw.queue=" + names.ordersQueue(),
                    "-Draw.topic=" + (direction == Direction.RABBITMQ_TO_KAFKA ? names.ordersTopic() : names.shipmentsTopic()),
                    "-Draw.group=" + names.shipmentsGroup(),
                    "-Draw.exchange=" + names.notificationsExchange()));
            // the same tunables the application runs with, from the same file
            for (String[] setting : new String[][] {
                    {"key-field", "bridge.orders.key-field"},
                    {"prefetch", "bridge.orders.prefetch"},
                    {"ack-batch", "bridge.rabbitmq.ack-batch"},
                    {"routing-key-prefix", "bridge.shipments.routing-key-prefix"},
                    {"status-field", "bridge.shipments.status-field"},
                    {"max-poll-records", "bridge.shipments.max-poll-records"},
                    {"poll-timeout-ms", "bridge.shipments.batch-interval-ms"},
                    {"confirm-timeout-ms", "bridge.rabbitmq.confirm-timeout-ms"},
                    {"linger-ms", "camel.component.kafka.linger-ms"},
                    {"batch-size", "camel.component.kafka.producer-batch-size"},
                    {"compression", "camel.component.kafka.compression-codec"},
                    {"max-in-flight", "camel.component.kafka.max-in-flight-request"}}) {
                command.add("-Draw." + setting[0] + "=" + settings.getProperty(setting[1]));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), RawBridge.class.getName(),
                    direction.id));
            Path log = Path.of("target", "raw-bridge-" + names.suffix() + "-" + instance + ".log").toAbsolutePath();
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                Awaitility.await("raw bridge ready (log: " + log + ")").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException("raw bridge exited, see " + log);
                            }
                            return Files.readAllLines(log).contains("READY");
                        });
                return new Running(process.pid(), () -> {
                    process.destroy();
                    return process.waitFor();
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    final String id;
    final String label;

    Contender(String id, String label) {
        this.id = id;
        this.label = label;
    }

    abstract Running start(Direction direction, FlowNames names, Map<String, String> env, int instance);

    /** A started bridge: its process id (for the memory probe), and how to stop it gracefully (SIGTERM). */
    record Running(long pid, Stop stop) {
        void close() {
            try {
                stop.stop();
            } catch (Exception e) {
                throw new IllegalStateException("stopping a bridge", e);
            }
        }
    }

    interface Stop {
        int stop() throws Exception;
    }

    /**
     * The application without the flows {@code otherFlows} names (route id patterns, comma-separated), unless
     * --app-flows=all: the idle Kafka consumers of other flows poll too. With {@code routeFiles} it reads a copy of the
     * project's routes/ taken now, as production reads its own at start-up; without, an empty routes/ folder.
     */
    static Running application(String otherFlows, boolean routeFiles, FlowNames names, Map<String, String> env,
            int instance) {
        Path benchmarkDir = Path.of("target", "benchmark").toAbsolutePath();
        Path workDir = routeFiles ? benchmarkDir.resolve("with-route-files") : benchmarkDir;
        Path routes = workDir.resolve("routes");
        createDirectories(routes);
        if (routeFiles) {
            copyRouteFiles(Path.of("routes"), routes);
        }
        Map<String, String> settings = new HashMap<>(env);
        if (!Boolean.getBoolean("benchmark.app-all-flows")) {
            settings.put("CAMEL_MAIN_ROUTEFILTEREXCLUDEPATTERN", otherFlows);
        }
        BridgeProcess bridge = new BridgeProcess("benchmark-" + names.suffix() + "-" + instance, settings)
                .workingDirectory(workDir)
                .jvmArguments(jvmOptions("benchmark.app-jvm-options").toArray(String[]::new))
                .startAndAwaitRoutes();
        return new Running(bridge.pid(), bridge::stop);
    }

    /** Replaces the YAML files in {@code to} with those in {@code from}: a file deleted from routes/ goes too. */
    private static void copyRouteFiles(Path from, Path to) {
        try {
            try (Stream<Path> old = Files.list(to)) {
                for (Path file : old.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    Files.delete(file);
                }
            }
            try (Stream<Path> files = Files.list(from)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("run the benchmark from the project directory", e);
        }
    }

    /** The JVM options a system property of the benchmark gives, space-separated. */
    private static List<String> jvmOptions(String property) {
        String options = System.getProperty(property, "").trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    static Properties applicationProperties() {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("run the benchmark from the project directory", e);
        }
        return properties;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
