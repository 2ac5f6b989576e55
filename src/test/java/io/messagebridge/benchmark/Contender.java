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

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import org.awaitility.Awaitility;

/** One side of the comparison: the application (its packaged jar) or the raw-client bridge, in processes of their own. */
enum Contender {

    APPLICATION("application", "application") {
        @Override
        Running start(Direction direction, FlowNames names, Map<String, String> env, int instance) {
            // an empty routes/ folder: the example YAML routes would also read the source and skew the comparison
            Path workDir = Path.of("target", "benchmark").toAbsolutePath();
            createDirectories(workDir.resolve("routes"));
            Map<String, String> settings = new HashMap<>(env);
            if (!Boolean.getBoolean("benchmark.app-all-flows")) {
                // the flow under test only, as the raw bridge: the other directions' idle Kafka consumers poll too
                settings.put("CAMEL_MAIN_ROUTEFILTEREXCLUDEPATTERN", direction.otherFlows);
            }
            BridgeProcess bridge = new BridgeProcess("benchmark-" + names.suffix() + "-" + instance, settings)
                    .workingDirectory(workDir)
                    .jvmArguments(jvmOptions("benchmark.app-jvm-options").toArray(String[]::new))
                    .startAndAwaitRoutes();
            return new Running(bridge.pid(), bridge::stop);
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
