package io.messagebridge.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Things die in the middle of a stream of 20,000 messages each way, all in their sources before the fault; when
 * the dust settles every message has arrived. Duplicates are allowed (at least once) and reported.
 */
class FaultToleranceIT {

    private static final int MESSAGES = 20_000;
    private static final Duration ALL_ARRIVED = Duration.ofMinutes(4);

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private BridgeProcess bridge;
    private Traffic traffic;

    @BeforeEach
    void start(TestInfo test) {
        Map<String, String> env = names.provision(kafka);
        // few orders in flight slow the bridge down, so that the fault strikes mid-stream and not after the end
        env.put("BRIDGE_ORDERS_PREFETCH", "200");
        bridge = new BridgeProcess(test.getTestMethod().orElseThrow().getName() + "-" + names.suffix(), env);
        traffic = new Traffic(kafka, names, MESSAGES);
        // a first run declares the queues; the sources are then filled while the bridge is down, so that the
        // fault below strikes with most of the stream still to go
        bridge.startAndAwaitRoutes().stop();
        traffic.fill();
        bridge.startAndAwaitRoutes();
    }

    @AfterEach
    void stop(TestInfo test) {
        System.out.printf("%s: %s%n", test.getDisplayName(), traffic.report());
        bridge.stop();
        traffic.close();
        // the broker is shared with the tests that follow: a test that failed during an outage must not take them down
        if (!kafka.isRunning()) {
            kafka.start();
        }
    }

    @Test
    void applicationKilledMidStream() {
        traffic.awaitProgress(MESSAGES / 10, Duration.ofSeconds(60));
        assertMidStream();
        bridge.kill();
        bridge.startAndAwaitRoutes();

        traffic.awaitAll(ALL_ARRIVED);
        assertNothingLostAndNothingDeadLettered();
    }

    @Test
    void kafkaBrokerKilledMidStream() {
        traffic.awaitProgress(MESSAGES / 10, Duration.ofSeconds(60));
        assertMidStream();
        kafka.kill();
        kafka.start();

        traffic.awaitAll(ALL_ARRIVED);
        assertNothingLostAndNothingDeadLettered();
        assertThat(bridge.isAlive()).isTrue();
    }

    @Test
    void rabbitMqStoppedMidStream() {
        traffic.awaitProgress(MESSAGES / 10, Duration.ofSeconds(60));
        assertMidStream();
        RabbitMq.ctl("stop_app");
        RabbitMq.ctl("start_app");
        RabbitMq.ctl("await_startup");

        traffic.awaitAll(ALL_ARRIVED);
        assertNothingLostAndNothingDeadLettered();
        assertThat(bridge.isAlive()).isTrue();
    }

    @Test
    void kafkaUnreachableForThirtySeconds() {
        traffic.awaitProgress(MESSAGES / 10, Duration.ofSeconds(60));
        assertMidStream();
        int linesBefore = bridge.log().size();
        kafka.stop();
        // for the whole outage: no dead letters, the bridge stays up, and it tells the operator once
        Awaitility.await("30 s of Kafka outage").during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40))
                .until(() -> bridge.isAlive() && traffic.ordersDeadLettered() == 0);
        assertThat(bridge.log().stream().skip(linesBefore))
                .filteredOn(l -> l.contains("Kafka unreachable at " + kafka.bootstrapServers())).hasSize(1);
        int linesAtRestart = bridge.log().size();
        kafka.start();

        traffic.awaitAll(ALL_ARRIVED);
        assertNothingLostAndNothingDeadLettered();
        assertThat(bridge.log().stream().skip(linesAtRestart))
                .anyMatch(l -> l.contains("Kafka reachable at " + kafka.bootstrapServers()));
    }

    private void assertMidStream() {
        System.out.printf("fault after %s%n", traffic.report());
        assertThat(traffic.ordersDelivered()).as("orders delivered before the fault").isLessThan(MESSAGES);
        assertThat(traffic.notificationsDelivered()).as("notifications delivered before the fault").isLessThan(MESSAGES);
    }

    private void assertNothingLostAndNothingDeadLettered() {
        assertThat(traffic.ordersDelivered()).as("orders delivered (%s)", traffic.report()).isEqualTo(MESSAGES);
        assertThat(traffic.notificationsDelivered()).as("notifications delivered (%s)", traffic.report())
                .isEqualTo(MESSAGES);
        assertThat(traffic.ordersDeadLettered()).as("orders dead-lettered").isZero();
        assertThat(bridge.log()).noneMatch(l -> l.contains("Dead letter from route"));
    }
}
