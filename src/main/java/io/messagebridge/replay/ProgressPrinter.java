package io.messagebridge.replay;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Shows a replay's progress after a batch once an interval has passed since it last did: on a terminal a bar redrawn
 * in place; otherwise (a log, a pipe) a line, which also gives the range that is left (next and end offset of each
 * partition), so that even the output of a killed replay says how to resume it.
 */
final class ProgressPrinter implements Runnable {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final Progress progress;
    private final boolean terminal;
    private final long intervalNanos;
    private final String ends;
    private long last = System.nanoTime();
    private boolean drawn;

    ProgressPrinter(PrintStream out, Progress progress, RangePlan plan, boolean terminal, Duration interval) {
        this.ends = ReplayOptions.format(plan.ends());
        this.out = out;
        this.progress = progress;
        this.terminal = terminal;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        if (now - last < intervalNanos) {
            return;
        }
        last = now;
        if (terminal) {
            out.print("\r" + bar());
            drawn = true;
        } else {
            out.println("Progress: " + progress.figures() + "; to resume: " + ReplayOptions.FROM + " "
                    + ReplayOptions.format(progress.next()) + " " + ReplayOptions.TO + " " + ends);
        }
        out.flush();
    }

    /** Ends the bar's line, drawn once more with the last figures. */
    void finish() {
        if (drawn) {
            out.println("\r" + bar());
        }
    }

    private String bar() {
        int filled = progress.total() == 0 ? WIDTH : (int) (progress.done() * WIDTH / progress.total());
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + progress.figures() + "   ";
    }
}
