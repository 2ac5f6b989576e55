package io.messagebridge.benchmark;

import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;

import org.awaitility.Awaitility;

/**
 * What reached the destination of one measurement: which of the ids {@code 0..expected-1} arrived, how often, and
 * when. The drain rate is taken from the first to the last arrival, so the bridge's start-up is not counted; when the
 * send time of each id is known, the time each one took from its source to its destination is kept too. The ids may
 * also be a sparse part of a larger range ({@link #Arrivals(int, int, int)}): each pattern route's outputs, numbered
 * by order and output.
 */
final class Arrivals {

    private final int expected;
    private final BitSet seen;
    private final long[] sentNanos;
    private final long[] latencyNanos;
    private int unique;
    private long total;
    private long firstNanos;
    private long lastNanos;
    private final int warmup;
    private long warmNanos;
    private long warmTotal;

    /** @param warmup arrivals after which the warm rate is taken (the JIT compilers are done by then) */
    Arrivals(int expected, int warmup) {
        this(expected, expected, warmup);
    }

    /** {@code expected} distinct ids out of {@code 0..ids-1}; only ids that are expected may arrive. */
    Arrivals(int expected, int ids, int warmup) {
        this.expected = expected;
        this.warmup = warmup;
        this.seen = new BitSet(ids);
        this.sentNanos = new long[ids];
        this.latencyNanos = new long[ids];
    }

    synchronized void sent(int id) {
        sentNanos[id] = System.nanoTime();
    }

    void arrived(String id) {
        arrived(Integer.parseInt(id));
    }

    synchronized void arrived(int index) {
        long now = System.nanoTime();
        total++;
        if (firstNanos == 0) {
            firstNanos = now;
        }
        lastNanos = now;
        if (!seen.get(index)) {
            seen.set(index);
            unique++;
            if (unique == warmup) {
                warmNanos = now;
                warmTotal = total;
            }
            if (sentNanos[index] != 0) {
                latencyNanos[index] = now - sentNanos[index];
            }
        }
    }

    /** Waits for every id, failing if nothing new arrives for {@code stall}, then lingers to catch duplicates. */
    void awaitAll(Duration stall) {
        int[] lastCount = {-1};
        long[] lastProgress = {System.nanoTime()};
        Awaitility.await(expected + " messages at the destination").forever().pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    int now = unique();
                    if (now != lastCount[0]) {
                        lastCount[0] = now;
                        lastProgress[0] = System.nanoTime();
                    } else if (System.nanoTime() - lastProgress[0] > stall.toNanos()) {
                        return true;
                    }
                    return now >= expected;
                });
        long settledAt = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        Awaitility.await().pollInterval(Duration.ofMillis(100)).until(() -> System.nanoTime() >= settledAt);
    }

    synchronized int unique() {
        return unique;
    }

    synchronized long lost() {
        return expected - unique;
    }

    synchronized long duplicates() {
        return total - unique;
    }

    synchronized double ratePerSecond() {
        return lastNanos > firstNanos ? (total - 1) / ((lastNanos - firstNanos) / 1e9) : 0;
    }

    /**
     * The rate after the first {@code warmup} arrivals: what a bridge that has been running for a while does; without
     * a warm-up, the whole drain's.
     */
    synchronized double warmRatePerSecond() {
        if (warmup == 0) {
            return ratePerSecond();
        }
        return lastNanos > warmNanos && warmNanos > 0 ? (total - warmTotal) / ((lastNanos - warmNanos) / 1e9) : 0;
    }

    /** Percentile of source-to-destination time in milliseconds, over the ids from {@code from} on. */
    synchronized double latencyMillis(int from, double percentile) {
        long[] sorted = Arrays.stream(latencyNanos, from, latencyNanos.length).filter(l -> l > 0).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }
}
