package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.Observe;
import io.messagebridge.harness.Traffic;
import org.junit.jupiter.api.Test;

/**
 * Two instances with the same settings share the load: competing consumers on the queue, one consumer group on the
 * topic (3 partitions). Each does part of the work and together they deliver every message.
 */
class TwoInstancesIT {

    private static final int MESSAGES = 4_000;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();

    @Test
    void twoInstancesShareBothDirectionsAndLoseNothing() {
        Map<String, String> first = names.provision(kafka);
        Map<String, String> second = new HashMap<>(first);
        second.put("BRIDGE_MANAGEMENT_PORT", Integer.toString(KafkaBroker.freePort()));
        try (Traffic traffic = new Traffic(kafka, names, MESSAGES);
             BridgeProcess one = new BridgeProcess("two-instances-1-" + names.suffix(), first).startAndAwaitRoutes();
             BridgeProcess two = new BridgeProcess("two-instances-2-" + names.suffix(), second).startAndAwaitRoutes()) {
            // both consume before the first message exists, so neither takes the whole queue or every partition
            kafka.awaitGroupMembers(names.shipmentsGroup(), 2, Duration.ofSeconds(60));
            traffic.fill();
            traffic.awaitAll(Duration.ofSeconds(120));
            System.out.println("TwoInstancesIT: " + traffic.report());

            assertThat(traffic.ordersDelivered()).isEqualTo(MESSAGES);
            assertThat(traffic.notificationsDelivered()).isEqualTo(MESSAGES);
            for (String route : new String[] {"orders-to-kafka", "shipments-to-rabbitmq"}) {
                long byOne = Observe.of(first).bridgeCounter("bridge_messages_forwarded_total", route);
                long byTwo = Observe.of(second).bridgeCounter("bridge_messages_forwarded_total", route);
                assertThat(byOne).as(route + ": messages of the first instance").isPositive();
                assertThat(byTwo).as(route + ": messages of the second instance").isPositive();
                assertThat(byOne + byTwo).as(route + ": both, redeliveries included").isGreaterThanOrEqualTo(MESSAGES);
            }
        }
    }
}
