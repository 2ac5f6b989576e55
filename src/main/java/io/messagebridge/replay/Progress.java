package io.messagebridge.replay;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a replay while it runs, read from other threads (the progress printer, JMX): offsets done of the
 * total, rate since the start, time left at that rate, and each partition's next offset (the last confirmed batch's).
 * Done counts offsets covered, so it reaches the total even where compaction left gaps between records.
 */
public final class Progress {

    private final long total;
    private final long startNanos = System.nanoTime();
    private final Map<Integer, Long> next;
    private long done;
    private long endNanos;

    public Progress(RangePlan plan) {
        this.total = plan.total();
        this.next = new TreeMap<>(plan.starts());
    }

    /** A batch was confirmed: these partitions are done up to these offsets, exclusive. */
    synchronized void advance(Map<Integer, Long> advanced) {
        advanced.forEach((partition, offset) -> {
            done += offset - next.get(partition);
            next.put(partition, offset);
        });
    }

    synchronized void finish() {
        endNanos = System.nanoTime();
    }

    public long total() {
        return total;
    }

    public synchronized long done() {
        return done;
    }

    public synchronized Map<Integer, Long> next() {
        return new TreeMap<>(next);
    }

    public synchronized Duration elapsed() {
        return Duration.ofNanos((endNanos != 0 ? endNanos : System.nanoTime()) - startNanos);
    }

    /** Records per second since the start. */
    public synchronized double rate() {
        double seconds = elapsed().toNanos() / 1e9;
        return seconds > 0 ? done / seconds : 0;
    }

    /** Seconds left at the rate so far; -1 before the first batch. */
    public synchronized long etaSeconds() {
        double rate = rate();
        return rate > 0 ? Math.round((total - done) / rate) : done >= total ? 0 : -1;
    }

    /** {@code 120/880 records (13%), 400/s, ETA 2s}. */
    public synchronized String figures() {
        long eta = etaSeconds();
        return String.format(Locale.ROOT, "%d/%d records (%d%%), %.0f/s, ETA %s", done, total,
                total == 0 ? 100 : done * 100 / total, rate(), eta < 0 ? "?" : eta + "s");
    }
}
