package io.messagebridge.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.messagebridge.replay.RangePlan.PartitionRange;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

    /** Offsets 10 to 50 and 0 to 40: 80 records. */
    private final RangePlan plan = new RangePlan("shipments", List.of(new PartitionRange(0, 10, 50),
            new PartitionRange(1, 0, 40)));
    private final Progress progress = new Progress(plan);
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void beforeItsFirstBatchAReplayHasDoneNothingAndKnowsNoTimeLeft() {
        assertThat(progress.total()).isEqualTo(80);
        assertThat(progress.done()).isZero();
        assertThat(progress.etaSeconds()).isEqualTo(-1);
        assertThat(progress.next()).isEqualTo(Map.of(0, 10L, 1, 0L));
        assertThat(progress.figures()).isEqualTo("0/80 records (0%), 0/s, ETA ?");
    }

    @Test
    void withoutATerminalEachLineGivesTheFiguresAndTheRangeThatIsLeft() {
        showTwoBatches(false, Map.of(0, 30L, 1, 0L), Map.of(0, 50L, 1, 10L));

        assertThat(text().lines()).hasSize(2).satisfiesExactly(
                first -> assertThat(first).matches("Progress: 20/80 records \\(25%\\), \\d+/s, ETA \\d+s; "
                        + "to resume: --from 0:30,1:0 --to 0:50,1:40"),
                second -> assertThat(second).matches("Progress: 50/80 records \\(62%\\), \\d+/s, ETA \\d+s; "
                        + "to resume: --from 0:50,1:10 --to 0:50,1:40"));
        assertThat(progress.next()).isEqualTo(Map.of(0, 50L, 1, 10L));
    }

    @Test
    void onATerminalABarIsRedrawnInPlaceAndItsLineEndedWithTheLastFigures() {
        showTwoBatches(true, Map.of(0, 50L, 1, 0L), Map.of(0, 50L, 1, 40L));

        String[] draws = text().split("\r");
        assertThat(draws).hasSize(4);
        assertThat(draws[1]).matches("\\[#{15}-{15}\\] 40/80 records \\(50%\\), \\d+/s, ETA \\d+s {3}");
        assertThat(draws[2]).matches("\\[#{30}\\] 80/80 records \\(100%\\), \\d+/s, ETA 0s {3}");
        assertThat(draws[3]).isEqualTo(draws[2] + System.lineSeparator());
    }

    /** Two batches confirmed up to these offsets, each shown at once, then the replay's end. */
    private void showTwoBatches(boolean terminal, Map<Integer, Long> first, Map<Integer, Long> second) {
        ProgressPrinter printer = new ProgressPrinter(out, progress, plan, terminal, Duration.ZERO);
        progress.advance(first);
        printer.run();
        progress.advance(second);
        progress.finish();
        printer.run();
        printer.finish();
    }

    private String text() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
