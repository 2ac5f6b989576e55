package io.messagebridge.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.messagebridge.replay.ReplayOptions.At;
import io.messagebridge.replay.ReplayOptions.Bound;
import io.messagebridge.replay.ReplayOptions.Earliest;
import io.messagebridge.replay.ReplayOptions.Offsets;

/**
 * The offsets a replay covers, fixed when it starts: per partition from {@code start} (the first offset at or after
 * the from time, offsetsForTimes) up to {@code end}, exclusive (the first offset at or after the to time, or the
 * partition's end offset then). A range that names offsets must name every partition of the topic, within what the
 * partition still has. What is written after the start is not part of the range.
 */
public record RangePlan(String topic, List<PartitionRange> partitions) {

    /** Offsets {@code start} (inclusive) to {@code end} (exclusive) of one partition. */
    public record PartitionRange(int partition, long start, long end) {
        public long count() {
            return end - start;
        }
    }

    /** The first offset of each partition whose timestamp is at or after a time; a partition without one is absent. */
    @FunctionalInterface
    public interface TimeIndex {
        Map<Integer, Long> offsetsAt(Instant time);
    }

    public RangePlan {
        partitions = List.copyOf(partitions);
    }

    /**
     * The range of each partition, from the partitions' first and end offsets now ({@code beginnings}, {@code ends},
     * which name every partition) and the bounds asked for ({@code to} null: up to the end offsets).
     */
    public static RangePlan of(String topic, Map<Integer, Long> beginnings, Map<Integer, Long> ends, Bound from, Bound to,
                               TimeIndex times) {
        Map<Integer, Long> starts = offsets("--from", from, beginnings, ends, times);
        Map<Integer, Long> stops = to == null ? ends : offsets("--to", to, beginnings, ends, times);
        List<PartitionRange> ranges = new ArrayList<>();
        for (int partition : new TreeMap<>(ends).keySet()) {
            long start = starts.get(partition);
            long end = stops.get(partition);
            if (start > end) {
                throw new IllegalArgumentException("partition " + partition + " of " + topic + ": --from offset " + start
                        + " is after --to offset " + end);
            }
            ranges.add(new PartitionRange(partition, start, end));
        }
        return new RangePlan(topic, ranges);
    }

    public long total() {
        return partitions.stream().mapToLong(PartitionRange::count).sum();
    }

    public Map<Integer, Long> starts() {
        Map<Integer, Long> starts = new TreeMap<>();
        partitions.forEach(p -> starts.put(p.partition(), p.start()));
        return starts;
    }

    public Map<Integer, Long> ends() {
        Map<Integer, Long> ends = new TreeMap<>();
        partitions.forEach(p -> ends.put(p.partition(), p.end()));
        return ends;
    }

    /** One line per partition: its offsets and how many. */
    public List<String> describe() {
        return partitions.stream().map(p -> String.format(java.util.Locale.ROOT,
                "  partition %d: offsets %d to %d, %d records", p.partition(), p.start(), p.end(), p.count())).toList();
    }

    private static Map<Integer, Long> offsets(String option, Bound bound, Map<Integer, Long> beginnings,
                                              Map<Integer, Long> ends, TimeIndex times) {
        Map<Integer, Long> offsets = new TreeMap<>();
        if (bound instanceof Earliest) {
            offsets.putAll(beginnings);
        } else if (bound instanceof At at) {
            Map<Integer, Long> found = times.offsetsAt(at.time());
            // no record that late: the range reaches the partition's end
            ends.forEach((partition, end) -> offsets.put(partition, found.getOrDefault(partition, end)));
        } else {
            Map<Integer, Long> given = ((Offsets) bound).byPartition();
            if (!given.keySet().equals(ends.keySet())) {
                throw new IllegalArgumentException(option + " names partitions " + new TreeMap<>(given).keySet()
                        + "; the topic has " + new TreeMap<>(ends).keySet() + ": give an offset for each");
            }
            given.forEach((partition, offset) -> {
                if (offset < beginnings.get(partition) || offset > ends.get(partition)) {
                    throw new IllegalArgumentException(option + " offset " + offset + " of partition " + partition
                            + " is not in it any more or not yet (it has offsets " + beginnings.get(partition) + " to "
                            + ends.get(partition) + "; retention removes the oldest)");
                }
            });
            offsets.putAll(given);
        }
        return offsets;
    }
}
