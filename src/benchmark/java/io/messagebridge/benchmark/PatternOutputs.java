package io.messagebridge.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import io.messagebridge.harness.KafkaBroker;

/**
 * What one drain of a pattern route made, checked off output by output. The application gives the n-th output of
 * input {@code o-<order>} the message-id {@code o-<order>-<n>}, so each output names its order; what each order
 * should make at each destination follows from the order's id ({@link PatternFlow.Output#count}). An id that arrives
 * again is a duplicate. An output its order should not have made there (a third line, an alert under the threshold,
 * an order on the wrong topic, an id that is not an output's) is unexpected, and the output it should have made is
 * then lost.
 * <p>
 * The output rate runs from the arrival by which the warm-up's share of the outputs had arrived to the last, as
 * {@link Arrivals} takes it. For a route whose first destination gets exactly one output per order, that
 * destination's warm rate is its input rate too ({@link #firstDestinationRate}).
 */
final class PatternOutputs {

    private final List<PatternFlow.Output> destinations;
    private final int orders;
    /** Outputs an order makes at most, over all destinations: its outputs' n run from 0 to this, excluded. */
    private final int perOrder;
    /** [destination][order]: the outputs the order should make there, and those that arrived (distinct ids). */
    private final byte[][] expected;
    private final byte[][] made;
    private final BitSet seen;
    private final Arrivals all;
    private final Arrivals first;
    private long unexpected;

    PatternOutputs(List<PatternFlow.Output> destinations, int orders, int warmup) {
        this.destinations = destinations;
        this.orders = orders;
        this.expected = new byte[destinations.size()][orders];
        this.made = new byte[destinations.size()][orders];
        int most = 0;
        int outputs = 0;
        boolean oneEachAtFirst = true;
        for (int order = 0; order < orders; order++) {
            int ofOrder = 0;
            for (int d = 0; d < destinations.size(); d++) {
                expected[d][order] = (byte) destinations.get(d).count().applyAsInt(order);
                ofOrder += expected[d][order];
            }
            most = Math.max(most, ofOrder);
            outputs += ofOrder;
            oneEachAtFirst &= expected[0][order] == 1;
        }
        this.perOrder = Math.max(1, most);
        this.seen = new BitSet(orders * perOrder);
        this.all = new Arrivals(outputs, orders * perOrder, (int) ((long) outputs * warmup / orders));
        this.first = oneEachAtFirst ? new Arrivals(orders, warmup) : null;
    }

    /** Starts watching every destination; closing stops. Open it before the application starts. */
    AutoCloseable watch(KafkaBroker kafka) {
        List<AutoCloseable> watches = new ArrayList<>();
        for (int d = 0; d < destinations.size(); d++) {
            int destination = d;
            watches.add(destinations.get(d).watch().open(kafka, messageId -> arrived(destination, messageId)));
        }
        return () -> {
            for (AutoCloseable watch : watches) {
                watch.close();
            }
        };
    }

    synchronized void arrived(int destination, String messageId) {
        int order;
        int n;
        try {
            int dash = messageId.lastIndexOf('-');
            order = Integer.parseInt(messageId.substring(messageId.indexOf('-') + 1, dash));
            n = Integer.parseInt(messageId.substring(dash + 1));
        } catch (RuntimeException notAnOutputId) {
            unexpected++;
            return;
        }
        if (!messageId.startsWith(Payloads.orderId(order) + "-") || order < 0 || order >= orders || n < 0
                || n >= perOrder) {
            unexpected++;
            return;
        }
        int index = order * perOrder + n;
        if (!seen.get(index)) {
            if (made[destination][order] >= expected[destination][order]) {
                unexpected++;
                return;
            }
            seen.set(index);
            made[destination][order]++;
        }
        all.arrived(index);
        if (destination == 0 && first != null) {
            first.arrived(order);
        }
    }

    /** Waits for every expected output or until nothing new arrives for {@code stall}, then lingers for duplicates. */
    void awaitAll(Duration stall) {
        all.awaitAll(stall);
    }

    double ratePerSecond() {
        return all.warmRatePerSecond();
    }

    /** Orders per second at the first destination, if it gets one output per order; else NaN. */
    double firstDestinationRate() {
        return first == null ? Double.NaN : first.warmRatePerSecond();
    }

    long lost() {
        return all.lost();
    }

    long duplicates() {
        return all.duplicates();
    }

    synchronized long unexpected() {
        return unexpected;
    }
}
