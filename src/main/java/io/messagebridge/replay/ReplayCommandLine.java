package io.messagebridge.replay;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.messagebridge.config.Settings;

/**
 * The {@code replay-range} command's run in a terminal or a script: prints the range per partition, then (unless
 * {@code --dry-run}) the progress, the records that were not delivered (one line each, no body) and a summary. On
 * Ctrl+C or SIGTERM it stops after the batch in flight is confirmed and prints where it stopped and the command that
 * resumes from there; so does a failure, before it is reported. Exit codes: 0 done, 1 done with records not delivered,
 * {@value #STOPPED} stopped; an empty range or a missing topic fails (exit code 2, said by the caller).
 */
public final class ReplayCommandLine {

    /** The shell's code for a process ended by Ctrl+C. */
    public static final int STOPPED = 130;
    /** How often a terminal's progress bar is redrawn at the most. */
    private static final Duration REDRAW = Duration.ofMillis(100);
    private static final Pattern PLAIN_WORD = Pattern.compile("[\\w./:,=@%+-]+");

    private ReplayCommandLine() {
    }

    /**
     * Runs a replay to its end or its stop. {@code onStopSignal} arranges for a runnable to run on SIGTERM and Ctrl+C;
     * {@code routeRoutingKey} gives a route's routing-key pattern (for {@code --route}).
     */
    public static int run(ReplayOptions options, Settings settings, Function<String, String> routeRoutingKey,
                          Consumer<Runnable> onStopSignal) throws Exception {
        PrintStream out = System.out;
        HistoryReplay replay = HistoryReplay.prepare(settings, options, routeRoutingKey);
        RangePlan plan = replay.plan();
        if (options.dryRun()) {
            out.println("Dry run of a replay of " + replay.describe() + ":");
            plan.describe().forEach(out::println);
        }
        if (plan.total() == 0) {
            throw new IllegalArgumentException("nothing to replay: topic " + options.topic() + " has no records from "
                    + options.from() + (options.to() != null ? " to " + options.to() : " to its end"));
        }
        if (options.dryRun()) {
            out.println("Dry run: nothing sent.");
            return 0;
        }
        out.println("Replaying " + replay.describe() + ":");
        plan.describe().forEach(out::println);
        CountDownLatch stop = new CountDownLatch(1);
        onStopSignal.accept(stop::countDown);
        boolean terminal = System.console() != null;
        ProgressPrinter printer = new ProgressPrinter(out, replay.progress(), plan, terminal, terminal ? REDRAW
                : Duration.ofMillis(settings.integer("bridge.replay.progress-interval-ms", 100, 3_600_000)));
        HistoryReplay.Outcome outcome;
        try {
            outcome = replay.run(stop, printer);
        } catch (Exception e) {
            printer.finish();
            System.err.println("Stopped by a failure after " + replay.progress().done() + " of " + plan.total()
                    + " records; next offsets " + ReplayOptions.format(replay.progress().next()));
            System.err.println("Resume with: " + command(replay.resume()));
            throw e;
        }
        printer.finish();
        outcome.undelivered().forEach(u -> out.println(u.line()));
        Progress progress = replay.progress();
        if (outcome.stopped()) {
            out.println("Stopped after " + progress.done() + " of " + plan.total() + " records, in "
                    + seconds(progress.elapsed()) + "; next offsets " + ReplayOptions.format(progress.next())
                    + perPartition(outcome));
            out.println("Resume with: " + command(replay.resume()));
            return STOPPED;
        }
        out.println("Replayed " + progress.done() + " records in " + seconds(progress.elapsed()) + " ("
                + String.format(Locale.ROOT, "%.0f", progress.rate()) + "/s)" + perPartition(outcome));
        return outcome.undelivered().isEmpty() ? 0 : 1;
    }

    /** The command line that asks for these options, each word quoted for a POSIX shell where it needs it. */
    static String command(ReplayOptions options) {
        List<String> words = new ArrayList<>(List.of("java", "-jar", jar(), "replay-range"));
        words.addAll(options.words());
        return words.stream().map(w -> PLAIN_WORD.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    private static String perPartition(HistoryReplay.Outcome outcome) {
        return ": " + outcome.sent().entrySet().stream().map(e -> "partition " + e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + "; " + outcome.undelivered().size() + " not delivered";
    }

    private static String seconds(Duration elapsed) {
        return String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0);
    }

    /** This jar as it was run: relative to the working directory when it is below it. */
    private static String jar() {
        try {
            Path jar = Path.of(ReplayCommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path here = Path.of("").toAbsolutePath();
            return jar.startsWith(here) ? here.relativize(jar).toString() : jar.toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "rabbitmq-kafka-bridge.jar";
        }
    }
}
