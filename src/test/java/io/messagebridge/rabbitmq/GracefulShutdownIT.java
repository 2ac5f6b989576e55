package io.messagebridge.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.Traffic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM in the middle of a stream in both directions: the process stops taking messages, finishes, acks and
 * commits those in flight, and exits 0 within its shutdown timeout. Every message arrives exactly once across the
 * stop and the next start: nothing lost, and no duplicates, since nothing in flight was left unacked.
 */
class GracefulShutdownIT {

    private static final int MESSAGES = 5_000;
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 15;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final Map<String, String> env = names.provision(kafka);
    private final Traffic traffic = new Traffic(kafka, names, MESSAGES);
    private BridgeProcess bridge;

    @AfterEach
    void tearDown() {
        bridge.stop();
        traffic.close();
    }

    @Test
    void sigtermMidStreamExitsCleanlyAndEveryMessageArrivesOnce() {
        env.put("BRIDGE_SHUTDOWN_TIMEOUT", Integer.toString(SHUTDOWN_TIMEOUT_SECONDS));
        // few orders in flight slow the bridge down, so that the stop comes mid-stream and not after the end
        env.put("BRIDGE_ORDERS_PREFETCH", "50");
        bridge = new BridgeProcess("graceful-" + names.suffix(), env).startAndAwaitRoutes();
        traffic.fill();
        traffic.awaitProgress(500, Duration.ofSeconds(60));

        long signalled = System.nanoTime();
        int exitCode = bridge.stop();
        Duration stopping = Duration.ofNanos(System.nanoTime() - signalled);
        traffic.collect();
        int ordersAtStop = traffic.ordersDelivered();
        int notificationsAtStop = traffic.notificationsDelivered();

        bridge.startAndAwaitRoutes();
        traffic.awaitAll(Duration.ofSeconds(120));
        System.out.printf("GracefulShutdownIT: exit %d after %d ms; stopped at %d/%d orders, %d/%d notifications; "
                        + "after restart: %s%n", exitCode, stopping.toMillis(), ordersAtStop, MESSAGES,
                notificationsAtStop, MESSAGES, traffic.report());

        assertThat(exitCode).as("exit code after SIGTERM").isZero();
        assertThat(stopping).as("time to exit").isLessThan(Duration.ofSeconds(SHUTDOWN_TIMEOUT_SECONDS + 5));
        assertThat(ordersAtStop).as("stopped mid-stream").isLessThan(MESSAGES);
        assertThat(traffic.ordersDelivered()).isEqualTo(MESSAGES);
        assertThat(traffic.notificationsDelivered()).isEqualTo(MESSAGES);
        assertThat(traffic.orderDuplicates()).as("duplicate orders").isZero();
        assertThat(traffic.notificationDuplicates()).as("duplicate notifications").isZero();
        assertThat(traffic.ordersDeadLettered()).isZero();
    }
}
