package io.messagebridge.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a bridge process used while it was measured: the CPU time it spent from the probe's start (user plus system,
 * from {@code /proc/<pid>/stat}), its peak Java heap (young plus old generation in use, as {@code jstat -gc} samples
 * it every 250 ms from outside the process) and its peak resident set ({@code VmHWM}). CPU time per message is the
 * figure that a busy shared machine disturbs least.
 */
final class ProcessProbe implements AutoCloseable {

    private final long pid;
    private final Process jstat;
    private final AtomicLong peakHeapKb = new AtomicLong();
    private final long cpuTicksAtStart;

    ProcessProbe(long pid) {
        this.pid = pid;
        this.cpuTicksAtStart = cpuTicks();
        try {
            jstat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(),
                    "-gc", Long.toString(pid), "250").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(this::readSamples, "jstat-" + pid);
        reader.setDaemon(true);
        reader.start();
    }

    private void readSamples() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(),
                StandardCharsets.US_ASCII))) {
            List<String> columns = null;
            String line;
            while ((line = lines.readLine()) != null) {
                List<String> fields = List.of(line.trim().split("\\s+"));
                if (fields.contains("EU")) {
                    columns = fields;
                } else if (columns != null && fields.size() == columns.size()) {
                    double used = 0;
                    for (String column : List.of("S0U", "S1U", "EU", "OU")) {
                        used += Double.parseDouble(fields.get(columns.indexOf(column)));
                    }
                    long kb = (long) used;
                    peakHeapKb.accumulateAndGet(kb, Math::max);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process ended: the samples so far are the answer
        }
    }

    double peakHeapMb() {
        return peakHeapKb.get() / 1024.0;
    }

    /** CPU seconds the process used since the probe started; read it before the process exits. */
    double cpuSeconds() {
        // utime and stime are in clock ticks, 100 per second on Linux
        return (cpuTicks() - cpuTicksAtStart) / 100.0;
    }

    private long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may contain spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException gone) {
            return 0;
        }
    }

    /** The peak resident set of the process so far, in MB; read it before the process exits. */
    double peakResidentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException gone) {
            // not Linux, or the process is gone
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        jstat.destroy();
    }
}
