package io.messagebridge.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The charts of a benchmark run ({@link SvgChart}), fed with the same medians and percentiles the report prints:
 * throughput of the application against the raw-client bridge per direction, each pattern route against the
 * orders-to-kafka bridge, and the latency percentiles of each direction. {@link #write} writes a chart only for a
 * scenario that ran, so a run of one scenario leaves the others' files as they were.
 */
final class BenchmarkCharts {

    static final String THROUGHPUT = "throughput.svg";
    static final String PATTERNS = "patterns.svg";
    static final String[] PERCENTILES = {"p50", "p90", "p99", "max"};

    private final SvgChart throughput = new SvgChart("Throughput, application vs raw-client bridge (medians)",
            "messages per second", Contender.APPLICATION.label, Contender.RAW.label);
    private final SvgChart patterns = new SvgChart("Pattern routes vs the orders-to-kafka bridge (medians, warm)",
            "per second", "inputs/s", "outputs/s");
    private final Map<Direction, Map<String, double[]>> latencies = new EnumMap<>(Direction.class);

    void throughput(Direction direction, String rate, double application, double raw) {
        throughput.group(direction.label + "\n" + rate, application, raw);
    }

    void pattern(String route, String pattern, double inputs, double outputs, double ofBridge) {
        patterns.group(String.format(Locale.ROOT, "%s\n%s\n%.0f%% of the bridge", route, pattern, 100 * ofBridge),
                inputs, outputs);
    }

    /** @param millis the percentiles {@link #PERCENTILES} names, in that order */
    void latency(Direction direction, Contender contender, double... millis) {
        latencies.computeIfAbsent(direction, d -> new LinkedHashMap<>()).put(contender.label, millis);
    }

    static String latencyFile(Direction direction) {
        return "latency-" + direction.id + ".svg";
    }

    /** Writes every chart that has data into each of {@code directories}; returns the files written. */
    List<Path> write(List<Path> directories) {
        Map<String, SvgChart> charts = new LinkedHashMap<>();
        charts.put(THROUGHPUT, throughput);
        charts.put(PATTERNS, patterns);
        latencies.forEach((direction, byContender) -> charts.put(latencyFile(direction), latency(direction,
                byContender)));
        List<Path> written = new ArrayList<>();
        for (Path directory : directories) {
            charts.forEach((name, chart) -> {
                if (!chart.isEmpty()) {
                    chart.write(directory.resolve(name));
                    written.add(directory.resolve(name));
                }
            });
        }
        return written;
    }

    private static SvgChart latency(Direction direction, Map<String, double[]> byContender) {
        SvgChart chart = new SvgChart("Latency " + direction.label + ", source to destination",
                "milliseconds", byContender.keySet().toArray(String[]::new));
        for (int p = 0; p < PERCENTILES.length; p++) {
            int percentile = p;
            chart.group(PERCENTILES[p], byContender.values().stream().mapToDouble(v -> v[percentile]).toArray());
        }
        return chart;
    }
}
