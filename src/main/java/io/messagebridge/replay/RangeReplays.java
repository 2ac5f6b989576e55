package io.messagebridge.replay;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.messagebridge.config.Settings;
import io.messagebridge.failures.LoggedReason;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays of a topic's history started over JMX ({@link RangeReplaysMBean}), on a thread of their own, with the same
 * configuration as the application; {@code --route} names a route of this application. A stop of the application
 * stops the replay after its batch in flight. Nothing of the messages is logged.
 */
public final class RangeReplays extends ServiceSupport implements RangeReplaysMBean {

    public static final String OBJECT_NAME = "io.messagebridge:type=RangeReplay";
    private static final Logger LOG = LoggerFactory.getLogger(RangeReplays.class);

    private final CamelContext camelContext;
    private volatile HistoryReplay replay;
    private volatile String state = "idle";
    private volatile String lastError;
    private volatile long undelivered;
    private CountDownLatch stop = new CountDownLatch(0);
    private Thread worker;

    /** For the application running in {@code camelContext}: its settings, its routes. */
    public RangeReplays(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public synchronized String startReplay(String arguments) {
        if (worker != null && worker.isAlive()) {
            throw new IllegalStateException("a replay is running (" + replay.describe() + "): stopReplay() it first");
        }
        HistoryReplay next;
        try {
            ReplayOptions options = ReplayOptions.parse(List.of(arguments.trim().split("\\s+")));
            next = HistoryReplay.prepare(Settings.of(camelContext), options,
                    route -> RouteRoutingKeys.of(camelContext, route));
        } catch (IllegalArgumentException e) {
            // plainly, for a JMX client that does not have the application's exception classes
            throw new IllegalArgumentException(e.getMessage());
        }
        if (next.plan().total() == 0) {
            throw new IllegalArgumentException("nothing to replay: " + next.describe());
        }
        if (next.options().dryRun()) {
            return next.describe() + "\n" + String.join("\n", next.plan().describe());
        }
        replay = next;
        stop = new CountDownLatch(1);
        state = "running";
        lastError = null;
        undelivered = 0;
        CountDownLatch stopThis = stop;
        worker = new Thread(() -> run(next, stopThis), "range-replay");
        worker.start();
        LOG.info("Replay of {} started over JMX", next.describe());
        return next.describe();
    }

    private void run(HistoryReplay running, CountDownLatch stopThis) {
        try {
            HistoryReplay.Outcome outcome = running.run(stopThis, () -> { });
            undelivered = outcome.undelivered().size();
            outcome.undelivered().forEach(u -> LOG.warn("Replay: {}", u.line()));
            String ended = finish(outcome.stopped() ? "stopped" : "done", stopThis);
            LOG.info("Replay of {} {}: {} records, next offsets {}", running.describe(), ended,
                    running.progress().done(), ReplayOptions.format(running.progress().next()));
        } catch (Exception e) {
            lastError = LoggedReason.of(e);
            finish("failed", stopThis);
            LOG.warn("Replay of {} failed at offsets {}: {}", running.describe(),
                    ReplayOptions.format(running.progress().next()), lastError);
        }
    }

    /** The replay's last state, set together with its latch: a later stopReplay finds nothing to stop. */
    private synchronized String finish(String ended, CountDownLatch stopThis) {
        state = ended;
        stopThis.countDown();
        return ended;
    }

    @Override
    public synchronized void stopReplay() {
        if (stop.getCount() > 0) {
            state = "stopping";
            stop.countDown();
        }
    }

    @Override
    public String getState() {
        return state;
    }

    @Override
    public String getRange() {
        return replay == null ? null : replay.describe();
    }

    @Override
    public long getDone() {
        return replay == null ? 0 : replay.progress().done();
    }

    @Override
    public long getTotal() {
        return replay == null ? 0 : replay.progress().total();
    }

    @Override
    public double getRate() {
        return replay == null ? 0 : replay.progress().rate();
    }

    @Override
    public long getEtaSeconds() {
        return replay == null ? -1 : replay.progress().etaSeconds();
    }

    @Override
    public long getUndelivered() {
        return undelivered;
    }

    @Override
    public String getNextOffsets() {
        return replay == null ? null : ReplayOptions.format(replay.progress().next());
    }

    @Override
    public String getResumeArguments() {
        return replay == null ? null : String.join(" ", replay.resume().words());
    }

    @Override
    public String getLastError() {
        return lastError;
    }

    @Override
    protected void doStart() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (!server.isRegistered(new ObjectName(OBJECT_NAME))) {
            server.registerMBean(this, new ObjectName(OBJECT_NAME));
        }
    }

    @Override
    protected void doStop() throws Exception {
        Thread running;
        synchronized (this) {
            stopReplay();
            running = worker;
        }
        if (running != null) {
            // the batch in flight is confirmed (or fails) within the confirm timeout
            running.join();
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(new ObjectName(OBJECT_NAME))) {
            server.unregisterMBean(new ObjectName(OBJECT_NAME));
        }
    }
}
