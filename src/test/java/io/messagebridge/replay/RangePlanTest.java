package io.messagebridge.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import io.messagebridge.replay.RangePlan.PartitionRange;
import io.messagebridge.replay.ReplayOptions.At;
import io.messagebridge.replay.ReplayOptions.Earliest;
import io.messagebridge.replay.ReplayOptions.Offsets;
import org.junit.jupiter.api.Test;

class RangePlanTest {

    private static final Instant NOV_1 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NOV_2 = Instant.parse("2026-11-02T00:00:00Z");
    /** Three partitions: offsets 10 to 100, 0 to 50, 5 to 5 (empty). */
    private static final Map<Integer, Long> BEGINNINGS = Map.of(0, 10L, 1, 0L, 2, 5L);
    private static final Map<Integer, Long> ENDS = Map.of(0, 100L, 1, 50L, 2, 5L);
    /** Partition 0 has records from both days on; partition 1 none after Nov 2; partition 2 none at all. */
    private static final RangePlan.TimeIndex TIMES = time -> time.equals(NOV_1) ? Map.of(0, 40L, 1, 20L)
            : time.equals(NOV_2) ? Map.of(0, 70L) : Map.of();

    @Test
    void aTimeRangeRunsFromTheFirstOffsetAtTheStartToTheFirstAtTheEndExclusive() {
        RangePlan plan = RangePlan.of("shipments", BEGINNINGS, ENDS, new At(NOV_1), new At(NOV_2), TIMES);

        // partition 1 has nothing from Nov 2 on: its range reaches its end; partition 2 has nothing
        assertThat(plan.partitions()).containsExactly(new PartitionRange(0, 40, 70), new PartitionRange(1, 20, 50),
                new PartitionRange(2, 5, 5));
        assertThat(plan.total()).isEqualTo(60);
        assertThat(plan.describe()).containsExactly("  partition 0: offsets 40 to 70, 30 records",
                "  partition 1: offsets 20 to 50, 30 records", "  partition 2: offsets 5 to 5, 0 records");
    }

    @Test
    void withoutAnEndItRunsToTheEndOffsetsAtTheStartAndEarliestFromTheOldestRecord() {
        RangePlan plan = RangePlan.of("shipments", BEGINNINGS, ENDS, new Earliest(), null, TIMES);

        assertThat(plan.partitions()).containsExactly(new PartitionRange(0, 10, 100), new PartitionRange(1, 0, 50),
                new PartitionRange(2, 5, 5));
        assertThat(plan.starts()).isEqualTo(BEGINNINGS);
        assertThat(plan.ends()).isEqualTo(ENDS);
    }

    @Test
    void aStartAfterTheLastRecordMakesAnEmptyRange() {
        Instant later = Instant.parse("2027-01-01T00:00:00Z");
        RangePlan plan = RangePlan.of("shipments", BEGINNINGS, ENDS, new At(later), null, TIMES);

        assertThat(plan.total()).isZero();
        assertThat(plan.partitions()).containsExactly(new PartitionRange(0, 100, 100), new PartitionRange(1, 50, 50),
                new PartitionRange(2, 5, 5));
    }

    @Test
    void offsetsResumeExactlyWhereAReplayStopped() {
        RangePlan plan = RangePlan.of("shipments", BEGINNINGS, ENDS, new Offsets(Map.of(0, 55L, 1, 50L, 2, 5L)),
                new Offsets(Map.of(0, 70L, 1, 50L, 2, 5L)), TIMES);

        assertThat(plan.partitions()).containsExactly(new PartitionRange(0, 55, 70), new PartitionRange(1, 50, 50),
                new PartitionRange(2, 5, 5));
        assertThat(plan.total()).isEqualTo(15);
    }

    @Test
    void offsetsMustNameEveryPartitionWithinWhatItHasAndStartBeforeTheirEnd() {
        assertThatThrownBy(() -> RangePlan.of("shipments", BEGINNINGS, ENDS, new Offsets(Map.of(0, 20L, 1, 0L)), null,
                TIMES)).hasMessage("--from names partitions [0, 1]; the topic has [0, 1, 2]: give an offset for each");
        assertThatThrownBy(() -> RangePlan.of("shipments", BEGINNINGS, ENDS, new Offsets(Map.of(0, 5L, 1, 0L, 2, 5L)),
                null, TIMES)).hasMessage("--from offset 5 of partition 0 is not in it any more or not yet (it has "
                + "offsets 10 to 100; retention removes the oldest)");
        assertThatThrownBy(() -> RangePlan.of("shipments", BEGINNINGS, ENDS, new Earliest(),
                new Offsets(Map.of(0, 101L, 1, 0L, 2, 5L)), TIMES)).hasMessageStartingWith("--to offset 101 of partition 0");
        assertThatThrownBy(() -> RangePlan.of("shipments", BEGINNINGS, ENDS, new Offsets(Map.of(0, 80L, 1, 0L, 2, 5L)),
                new At(NOV_2), TIMES)).hasMessage("partition 0 of shipments: --from offset 80 is after --to offset 70");
    }
}
