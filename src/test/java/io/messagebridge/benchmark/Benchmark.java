package io.messagebridge.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.RabbitMq;

/**
 * Measures the application against a bridge written with the raw clients ({@link RawBridge}), on the real brokers:
 * the local RabbitMQ and a Kafka broker of its own (the same one {@code exec:exec@kafka} runs).
 * <ul>
 * <li><b>throughput</b>: fills the source with {@code messages} persistent JSON messages of {@code size} bytes while
 * no bridge runs, starts the bridge, and takes the rate from the first to the last arrival at the destination,
 * counting lost and duplicated ids; each direction, each contender, {@code runs} times, alternating who goes first.
 * A second rate leaves out the first {@code warmup-messages} (filled on top of {@code messages}): the JIT
 * compilers' work while a JVM warms up is a large share of a short drain on 2 cores, and none of a bridge's day.
 * Reports medians and the ratio application / raw.</li>
 * <li><b>latency</b>: {@code rate} messages per second for {@code latency-seconds} through a running bridge;
 * p50 / p99 / max from source publish to destination arrival, after {@code warmup-seconds}.</li>
 * <li><b>two-instances</b>: the throughput run with two application instances on the same queue and consumer
 * group.</li>
 * </ul>
 * Options: {@code --messages=100000 --warmup-messages=50000 --size=1024 --runs=3 --rate=1000 --latency-seconds=30 --warmup-seconds=5
 * --scenarios=throughput,latency,two-instances --directions=rabbitmq-to-kafka,kafka-to-rabbitmq
 * --bridges=application,raw --app-jvm-options=-XX:TieredStopAtLevel=1 --raw-jvm-options= --app-flows=measured}: JVM
 * options for the application (by default the ones the README and the Docker image run it with) and for the raw-client
 * bridge, comma-separated; both also get -Xmx256m. The application runs only the flow under test, as the raw bridge
 * does ({@code camel.main.route-filter-exclude-pattern}), unless {@code --app-flows=all}. The report is printed and
 * written to {@code target/benchmark-report.md}.
 */
public final class Benchmark {

    /** What the README and the Docker image run the application with. */
    static final String PRODUCTION_JVM_OPTIONS = "-XX:TieredStopAtLevel=1";

    private static final String[][] DEFAULTS = {
            {"messages", "100000"}, {"warmup-messages", "50000"}, {"size", "1024"}, {"runs", "3"},
            {"rate", "1000"}, {"latency-seconds", "30"}, {"warmup-seconds", "5"},
            {"scenarios", "throughput,latency,two-instances"},
            {"directions", "rabbitmq-to-kafka,kafka-to-rabbitmq"}, {"bridges", "application,raw"},
            {"app-jvm-options", PRODUCTION_JVM_OPTIONS}, {"raw-jvm-options", ""}, {"app-flows", "measured"}};

    private final Map<String, String> options;
    private final KafkaBroker kafka;
    private final StringBuilder report = new StringBuilder();

    private Benchmark(Map<String, String> options, KafkaBroker kafka) {
        this.options = options;
        this.kafka = kafka;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String[] option : DEFAULTS) {
            options.put(option[0], option[1]);
        }
        for (String arg : args) {
            for (String option : arg.trim().split("\\s+")) {
                if (option.isEmpty()) {
                    continue;
                }
                String[] pair = option.replaceFirst("^--", "").split("=", 2);
                if (pair.length != 2 || !options.containsKey(pair[0])) {
                    System.err.println("unknown option " + option + "; known: " + options.keySet());
                    System.exit(2);
                }
                options.put(pair[0], pair[1]);
            }
        }
        System.setProperty("benchmark.app-jvm-options", options.get("app-jvm-options").replace(',', ' '));
        System.setProperty("benchmark.raw-jvm-options", options.get("raw-jvm-options").replace(',', ' '));
        System.setProperty("benchmark.app-all-flows", String.valueOf(options.get("app-flows").equals("all")));
        Path kafkaDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "benchmark")), "kafka-");
        try (KafkaBroker kafka = new KafkaBroker(kafkaDir, KafkaBroker.freePort())) {
            kafka.start();
            new Benchmark(options, kafka).run();
        }
        System.exit(0);
    }

    private List<Direction> directions() {
        return Arrays.stream(Direction.values()).filter(d -> list("directions").contains(d.id)).toList();
    }

    private List<Contender> contenders() {
        return Arrays.stream(Contender.values()).filter(c -> list("bridges").contains(c.id)).toList();
    }

    private List<String> list(String option) {
        return Arrays.asList(options.get(option).split(","));
    }

    private int option(String name) {
        return Integer.parseInt(options.get(name));
    }

    private void run() throws Exception {
        line("# Benchmark: application vs raw-client bridge");
        line("");
        line("%s; %d cores, %.0f GiB; Java %s; options %s", System.getProperty("os.name"),
                Runtime.getRuntime().availableProcessors(), totalMemoryGiB(), System.getProperty("java.version"),
                options);
        List<String> scenarios = list("scenarios");
        if (scenarios.contains("throughput")) {
            throughput();
        }
        if (scenarios.contains("latency")) {
            latency();
        }
        if (scenarios.contains("two-instances")) {
            twoInstances();
        }
        Files.writeString(Path.of("target", "benchmark-report.md"), report);
    }

    private void throughput() throws Exception {
        int messages = option("messages");
        line("");
        line("## Throughput: %,d messages of %d bytes (plus %,d to warm up), drained from a full source", messages,
                option("size"), option("warmup-messages"));
        line("");
        line("| run | direction | bridge | msg/s, whole drain | msg/s, warm | lost | duplicates | CPU ms per 1000 msgs "
                + "| peak heap MB | peak RSS MB |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        Map<String, List<Double>> rates = new HashMap<>();
        Map<String, List<Double>> warmRates = new HashMap<>();
        Map<String, List<Double>> cpu = new HashMap<>();
        for (int run = 1; run <= option("runs"); run++) {
            for (Direction direction : directions()) {
                List<Contender> order = new ArrayList<>(contenders());
                if (run % 2 == 0) {
                    Collections.reverse(order);
                }
                for (Contender contender : order) {
                    Drain drain = drain(direction, contender, 1, messages);
                    rates.computeIfAbsent(direction + "/" + contender, k -> new ArrayList<>()).add(drain.rate);
                    warmRates.computeIfAbsent(direction + "/" + contender, k -> new ArrayList<>())
                            .add(drain.warmRate);
                    cpu.computeIfAbsent(direction + "/" + contender, k -> new ArrayList<>())
                            .add(drain.cpuMsPerThousand);
                    line("| %d | %s | %s | %,.0f | %,.0f | %d | %d | %.0f | %.0f | %.0f |", run, direction.label,
                            contender.label, drain.rate, drain.warmRate, drain.lost, drain.duplicates,
                            drain.cpuMsPerThousand, drain.heapMb, drain.rssMb);
                }
            }
        }
        if (contenders().size() < 2) {
            return;
        }
        line("");
        line("Medians:");
        line("");
        line("| direction | rate | application msg/s | raw clients msg/s | application / raw |");
        line("|---|---|---|---|---|");
        for (Direction direction : directions()) {
            String app = direction + "/" + Contender.APPLICATION;
            String raw = direction + "/" + Contender.RAW;
            for (var measure : List.of(Map.entry("whole drain", rates), Map.entry("warm", warmRates))) {
                double appRate = median(measure.getValue().get(app));
                double rawRate = median(measure.getValue().get(raw));
                line("| %s | %s | %,.0f | %,.0f | %.0f%% |", direction.label, measure.getKey(), appRate, rawRate,
                        100 * appRate / rawRate);
            }
            line("| %s | CPU ms per 1000 messages | %.0f | %.0f | |", direction.label, median(cpu.get(app)),
                    median(cpu.get(raw)));
        }
    }

    private void twoInstances() throws Exception {
        int messages = option("messages");
        line("");
        line("## Two application instances on the same queue and consumer group, %,d messages", messages);
        line("");
        line("| direction | combined msg/s, whole drain | warm | lost | duplicates |");
        line("|---|---|---|---|---|");
        for (Direction direction : directions()) {
            Drain drain = drain(direction, Contender.APPLICATION, 2, messages);
            line("| %s | %,.0f | %,.0f | %d | %d |", direction.label, drain.rate, drain.warmRate, drain.lost,
                    drain.duplicates);
        }
    }

    private record Drain(double rate, double warmRate, long lost, long duplicates, double cpuMsPerThousand,
            double heapMb, double rssMb) {
    }

    /** Fills the source while no bridge runs, then lets {@code instances} bridges drain it. */
    private Drain drain(Direction direction, Contender contender, int instances, int messages) throws Exception {
        FlowNames names = FlowNames.unique();
        Map<String, String> env = names.provision(kafka);
        int total = option("warmup-messages") + messages;
        Arrivals arrivals = new Arrivals(total, option("warmup-messages"));
        try (RabbitMq rabbit = new RabbitMq()) {
            rabbit.forgetPipeline(names);
            prepare(direction, contender, names, env, rabbit);
            try (Direction.Source source = direction.source(kafka, names, option("size"))) {
                for (int id = 0; id < total; id++) {
                    source.send(id);
                    if (id % 10_000 == 9_999) {
                        source.flush();
                    }
                }
                source.flush();
            }
            try (AutoCloseable destination = direction.destination(kafka, names, arrivals)) {
                List<Contender.Running> bridges = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    bridges.add(contender.start(direction, names, env, i));
                }
                try (ProcessProbe probe = new ProcessProbe(bridges.get(0).pid())) {
                    arrivals.awaitAll(Duration.ofSeconds(60));
                    double rss = probe.peakResidentMb();
                    double cpu = probe.cpuSeconds();
                    bridges.forEach(Contender.Running::close);
                    return new Drain(arrivals.ratePerSecond(), arrivals.warmRatePerSecond(), arrivals.lost(),
                            arrivals.duplicates(), cpu * 1e6 / total, probe.peakHeapMb(), rss);
                }
            }
        }
    }

    /**
     * The source queue must exist before it is filled: the application declares its own (started once and stopped),
     * the raw bridge, like most hand-written ones, expects it declared.
     */
    private static void prepare(Direction direction, Contender contender, FlowNames names, Map<String, String> env,
            RabbitMq rabbit) {
        if (direction != Direction.RABBITMQ_TO_KAFKA) {
            return;
        }
        if (contender == Contender.APPLICATION) {
            contender.start(direction, names, env, 0).close();
        } else {
            rabbit.declareBoundQueue(names.ordersQueue(), names.ordersExchange(), Map.of("x-queue-type", "quorum"),
                    "order.#");
        }
    }

    private void latency() throws Exception {
        int rate = option("rate");
        int seconds = option("latency-seconds");
        int warmup = option("warmup-seconds") * rate;
        line("");
        line("## Latency at %,d msg/s for %d s (the first %d s not counted), source publish to destination arrival",
                rate, seconds, option("warmup-seconds"));
        line("");
        line("| direction | bridge | p50 ms | p99 ms | max ms | lost | peak heap MB | peak RSS MB |");
        line("|---|---|---|---|---|---|---|---|");
        for (Direction direction : directions()) {
            for (Contender contender : contenders()) {
                FlowNames names = FlowNames.unique();
                Map<String, String> env = names.provision(kafka);
                Arrivals arrivals = new Arrivals(rate * seconds, warmup);
                try (RabbitMq rabbit = new RabbitMq()) {
                    rabbit.forgetPipeline(names);
                    prepare(direction, contender, names, env, rabbit);
                    try (AutoCloseable destination = direction.destination(kafka, names, arrivals);
                         Direction.Source source = direction.source(kafka, names, option("size"))) {
                        Contender.Running bridge = contender.start(direction, names, env, 0);
                        try (ProcessProbe probe = new ProcessProbe(bridge.pid())) {
                            long start = System.nanoTime();
                            long interval = 1_000_000_000L / rate;
                            for (int id = 0; id < rate * seconds; id++) {
                                LockSupport.parkNanos(start + id * interval - System.nanoTime());
                                arrivals.sent(id);
                                source.send(id);
                            }
                            source.flush();
                            arrivals.awaitAll(Duration.ofSeconds(30));
                            double rss = probe.peakResidentMb();
                            bridge.close();
                            line("| %s | %s | %.1f | %.1f | %.1f | %d | %.0f | %.0f |", direction.label,
                                    contender.label, arrivals.latencyMillis(warmup, 50),
                                    arrivals.latencyMillis(warmup, 99), arrivals.latencyMillis(warmup, 100),
                                    arrivals.lost(), probe.peakHeapMb(), rss);
                        }
                    }
                }
            }
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double totalMemoryGiB() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getTotalMemorySize() / (1024.0 * 1024 * 1024);
    }

    private void line(String format, Object... args) throws IOException {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        report.append(text).append('\n');
        Files.writeString(Path.of("target", "benchmark-report.md"), report);
    }
}
