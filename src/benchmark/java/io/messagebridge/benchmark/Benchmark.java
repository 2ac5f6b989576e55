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
 * <li><b>patterns</b> (not run by default): each example pattern route named by {@code patterns} ({@link PatternFlow}:
 * split, filter, content-based routing, and a fan-out fed by RabbitMQ) drains {@code messages} orders plus the
 * warm-up from a full source, the application running that route alone with the project's route files; in the same
 * run, the application's orders-to-kafka bridge drains as many, the yardstick. Rates in inputs per second after the
 * warm-up: from the route's consumer group's committed offsets for a Kafka-fed route, from the arrivals of its Kafka
 * outputs for a RabbitMQ-fed one and for the bridge. Reports medians, the ratio route / bridge, and outputs lost,
 * duplicated or unexpected, and dead letters, counted from the outputs' message-ids. No raw-client bridge.</li>
 * </ul>
 * Options: {@code --messages=100000 --warmup-messages=50000 --size=1024 --runs=3 --rate=1000 --latency-seconds=30 --warmup-seconds=5
 * --scenarios=throughput,latency,two-instances (or any of these and patterns)
 * --directions=rabbitmq-to-kafka,kafka-to-rabbitmq --bridges=application,raw
 * --patterns=order-lines,order-alerts,order-routing,order-cancellations --app-jvm-options=-XX:TieredStopAtLevel=1
 * --raw-jvm-options= --app-flows=measured --charts-to-docs=false}: JVM options for the application (by default the ones the README and the
 * Docker image run it with) and for the raw-client bridge, comma-separated; both also get -Xmx256m. The application
 * runs only the flow under test, as the raw bridge does ({@code camel.main.route-filter-exclude-pattern}), unless
 * {@code --app-flows=all}. The report is printed and written to {@code target/benchmark-report.md}, its charts
 * ({@link BenchmarkCharts}) to {@code target/benchmark/*.svg} and, with {@code --charts-to-docs=true}, to the
 * {@code docs/benchmarks/} that BENCHMARKS.md shows.
 */
public final class Benchmark {

    /** What the README and the Docker image run the application with. */
    static final String PRODUCTION_JVM_OPTIONS = "-XX:TieredStopAtLevel=1";

    private static final String[][] DEFAULTS = {
            {"messages", "100000"}, {"warmup-messages", "50000"}, {"size", "1024"}, {"runs", "3"},
            {"rate", "1000"}, {"latency-seconds", "30"}, {"warmup-seconds", "5"},
            {"scenarios", "throughput,latency,two-instances"},
            {"directions", "rabbitmq-to-kafka,kafka-to-rabbitmq"}, {"bridges", "application,raw"},
            {"patterns", "order-lines,order-alerts,order-routing,order-cancellations"},
            {"app-jvm-options", PRODUCTION_JVM_OPTIONS}, {"raw-jvm-options", ""}, {"app-flows", "measured"},
            {"charts-to-docs", "false"}};

    /** How long a drain may see nothing new before what is missing counts as lost. */
    private static final Duration STALL = Duration.ofSeconds(60);
    /** The yardstick of the patterns scenario: the application's RabbitMQ → Kafka bridge. */
    private static final String BRIDGE_ROUTE = "orders-to-kafka";

    private final Map<String, String> options;
    private final KafkaBroker kafka;
    private final StringBuilder report = new StringBuilder();
    private final BenchmarkCharts charts = new BenchmarkCharts();

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
        try {
            Arrays.stream(options.get("patterns").split(",")).forEach(PatternFlow::of);
        } catch (IllegalArgumentException unknown) {
            System.err.println(unknown.getMessage());
            System.exit(2);
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
        if (scenarios.contains("patterns")) {
            patterns();
        }
        Files.writeString(Path.of("target", "benchmark-report.md"), report);
        List<Path> chartDirectories = new ArrayList<>(List.of(Path.of("target", "benchmark")));
        if (Boolean.parseBoolean(options.get("charts-to-docs"))) {
            chartDirectories.add(Path.of("docs", "benchmarks"));
        }
        charts.write(chartDirectories).forEach(chart -> System.out.println("chart: " + chart));
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
                charts.throughput(direction, measure.getKey(), appRate, rawRate);
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
            fill(direction.source(kafka, names, option("size")), total);
            try (AutoCloseable destination = direction.destination(kafka, names, arrivals)) {
                List<Contender.Running> bridges = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    bridges.add(contender.start(direction, names, env, i));
                }
                try (ProcessProbe probe = new ProcessProbe(bridges.get(0).pid())) {
                    arrivals.awaitAll(STALL);
                    double rss = probe.peakResidentMb();
                    double cpu = probe.cpuSeconds();
                    bridges.forEach(Contender.Running::close);
                    return new Drain(arrivals.ratePerSecond(), arrivals.warmRatePerSecond(), arrivals.lost(),
                            arrivals.duplicates(), cpu * 1e6 / total, probe.peakHeapMb(), rss);
                }
            }
        }
    }

    private static void fill(Direction.Source source, int total) {
        try (source) {
            for (int id = 0; id < total; id++) {
                source.send(id);
                if (id % 10_000 == 9_999) {
                    source.flush();
                }
            }
            source.flush();
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

    private void patterns() throws Exception {
        int messages = option("messages");
        List<String> routes = new ArrayList<>(List.of(BRIDGE_ROUTE));
        for (String route : list("patterns")) {
            routes.add(PatternFlow.of(route).id);
        }
        line("");
        line("## Pattern routes next to the orders-to-kafka bridge: %,d orders of %d bytes (plus %,d to warm up), "
                + "drained from a full source", messages, option("size"), option("warmup-messages"));
        line("");
        line("Inputs/s after the warm-up: a Kafka-fed route's from its consumer group's committed offsets on the "
                + "source (sampled every 100 ms), from the first sample past the warm-up to the one at the end of the "
                + "source; order-cancellations' and the bridge's from the arrivals of their Kafka outputs, one per "
                + "input. Outputs/s: all outputs, from the arrival by which the warm-up's share of them had arrived. "
                + "CPU: the application's, over the drain.");
        line("");
        line("| run | route | inputs/s | outputs/s | lost | duplicates | unexpected | dead letters "
                + "| CPU ms per 1000 inputs | peak heap MB |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        Map<String, List<RouteDrain>> drains = new HashMap<>();
        for (int run = 1; run <= option("runs"); run++) {
            List<String> order = new ArrayList<>(routes);
            if (run % 2 == 0) {
                Collections.reverse(order);
            }
            for (String route : order) {
                RouteDrain drain = route.equals(BRIDGE_ROUTE) ? bridgeDrain(messages)
                        : drain(PatternFlow.of(route), messages);
                drains.computeIfAbsent(route, k -> new ArrayList<>()).add(drain);
                line("| %d | %s | %,.0f | %,.0f | %d | %d | %d | %s | %.0f | %.0f |", run, route, drain.inputRate,
                        drain.outputRate, drain.lost, drain.duplicates, drain.unexpected,
                        drain.deadLetters < 0 ? "" : Long.toString(drain.deadLetters), drain.cpuMsPerThousand,
                        drain.heapMb);
            }
        }
        line("");
        line("Medians (lost and duplicates: all runs together):");
        line("");
        line("| route | pattern | inputs/s (median of runs) | outputs/s | vs orders-to-kafka bridge | lost "
                + "| duplicates |");
        line("|---|---|---|---|---|---|---|");
        double bridgeRate = median(drains.get(BRIDGE_ROUTE).stream().map(RouteDrain::inputRate).toList());
        for (String route : routes) {
            List<RouteDrain> runs = drains.get(route);
            double inputRate = median(runs.stream().map(RouteDrain::inputRate).toList());
            double outputRate = median(runs.stream().map(RouteDrain::outputRate).toList());
            String pattern = route.equals(BRIDGE_ROUTE) ? "bridge, RabbitMQ → Kafka" : PatternFlow.of(route).pattern;
            line("| %s | %s | %,.0f | %,.0f | %.0f%% | %d | %d |", route, pattern, inputRate, outputRate,
                    100 * inputRate / bridgeRate, runs.stream().mapToLong(RouteDrain::lost).sum(),
                    runs.stream().mapToLong(RouteDrain::duplicates).sum());
            charts.pattern(route, pattern, inputRate, outputRate, inputRate / bridgeRate);
        }
    }

    /** One drain of the patterns scenario; {@code deadLetters} is -1 where not counted. */
    private record RouteDrain(double inputRate, double outputRate, long lost, long duplicates, long unexpected,
            long deadLetters, double cpuMsPerThousand, double heapMb) {
    }

    /** The throughput scenario's drain of the application's RabbitMQ → Kafka flow: one output per input. */
    private RouteDrain bridgeDrain(int messages) throws Exception {
        Drain drain = drain(Direction.RABBITMQ_TO_KAFKA, Contender.APPLICATION, 1, messages);
        return new RouteDrain(drain.warmRate, drain.warmRate, drain.lost, drain.duplicates, 0, -1,
                drain.cpuMsPerThousand, drain.heapMb);
    }

    /**
     * Fills the route's source while the application does not run, then lets the application, with this route only,
     * drain it, counting what arrives at the route's destinations and what became a dead letter.
     */
    private RouteDrain drain(PatternFlow flow, int messages) throws Exception {
        FlowNames names = FlowNames.unique();
        Map<String, String> env = names.provision(kafka);
        int warmup = option("warmup-messages");
        int total = warmup + messages;
        PatternOutputs outputs = new PatternOutputs(flow.outputs(names, Contender.applicationProperties()), total,
                warmup);
        try (RabbitMq rabbit = new RabbitMq()) {
            rabbit.forgetPipeline(names);
            if (flow.feed.declaredByApplication()) {
                // as the orders queue in prepare(): the application declares it, started once and stopped
                flow.start(names, env).close();
            }
            fill(flow.feed.source(kafka, names, option("size")), total);
            try (AutoCloseable watch = outputs.watch(kafka);
                 PatternFlow.Inputs inputs = flow.feed.inputs(kafka, names, outputs, total, warmup)) {
                Contender.Running application = flow.start(names, env);
                try (ProcessProbe probe = new ProcessProbe(application.pid())) {
                    inputs.awaitEnd(STALL);
                    outputs.awaitAll(STALL);
                    double cpu = probe.cpuSeconds();
                    application.close();
                    return new RouteDrain(inputs.ratePerSecond(), outputs.ratePerSecond(), outputs.lost(),
                            outputs.duplicates(), outputs.unexpected(), inputs.deadLetters(), cpu * 1e6 / total,
                            probe.peakHeapMb());
                }
            }
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
        line("| direction | bridge | p50 ms | p90 ms | p99 ms | max ms | lost | peak heap MB | peak RSS MB |");
        line("|---|---|---|---|---|---|---|---|---|");
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
                            double[] millis = {arrivals.latencyMillis(warmup, 50),
                                    arrivals.latencyMillis(warmup, 90), arrivals.latencyMillis(warmup, 99),
                                    arrivals.latencyMillis(warmup, 100)};
                            line("| %s | %s | %.1f | %.1f | %.1f | %.1f | %d | %.0f | %.0f |", direction.label,
                                    contender.label, millis[0], millis[1], millis[2], millis[3], arrivals.lost(),
                                    probe.peakHeapMb(), rss);
                            charts.latency(direction, contender, millis);
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
