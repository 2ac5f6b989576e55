package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A normal shutdown (SIGTERM) in the middle of a stream, in both directions at once, loses nothing; after a restart
 * the rest arrives. Duplicates are allowed by the at-least-once contract; they are counted and reported.
 */
class RestartIT {

    private static final int MESSAGES = 20_000;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private Traffic traffic;
    private BridgeProcess bridge;

    @BeforeEach
    void setUp() {
        Map<String, String> env = names.provision(kafka);
        // few orders in flight slow the bridge down, so that the stop comes mid-stream and not after the end
        env.put("BRIDGE_ORDERS_PREFETCH", "200");
        bridge = new BridgeProcess("restart-" + names.suffix(), env);
        traffic = new Traffic(kafka, names, MESSAGES);
    }

    @AfterEach
    void tearDown() {
        bridge.stop();
        traffic.close();
    }

    @Test
    void gracefulShutdownMidStreamLosesNothingAndTheRestArrivesAfterRestart() {
        bridge.startAndAwaitRoutes();
        traffic.fill();
        // stop while both directions are still moving
        traffic.awaitProgress(1, Duration.ofSeconds(60));
        assertThat(bridge.stop()).as("exit code after SIGTERM").isZero();
        assertThat(bridge.log()).anyMatch(l -> l.contains("shutdown in"));
        traffic.collect();
        int ordersAtStop = traffic.ordersDelivered();
        int notificationsAtStop = traffic.notificationsDelivered();

        bridge.startAndAwaitRoutes();
        traffic.awaitAll(Duration.ofSeconds(180));

        System.out.printf("RestartIT: stopped at %d/%d orders and %d/%d notifications; after restart: %s%n",
                ordersAtStop, MESSAGES, notificationsAtStop, MESSAGES, traffic.report());
        assertThat(ordersAtStop).as("stopped mid-stream").isLessThan(MESSAGES);
        assertThat(traffic.ordersDelivered()).isEqualTo(MESSAGES);
        assertThat(traffic.notificationsDelivered()).isEqualTo(MESSAGES);
        try (RabbitMq rabbit = new RabbitMq()) {
            assertThat(rabbit.messageCount(names.ordersQueue())).isZero();
            assertThat(rabbit.messageCount(names.ordersQueue() + ".dlq")).isZero();
        }
    }
}
