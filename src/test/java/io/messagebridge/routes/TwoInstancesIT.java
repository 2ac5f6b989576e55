package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.Observe;
import io.messagebridge.harness.RabbitMq;
import io.messagebridge.harness.Traffic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two instances with the same settings share the load: competing consumers on the queue, one consumer group on the
 * topic (3 partitions). Each does part of the work and together they deliver every message, also when RabbitMQ goes
 * away for a while and one of them restarts meanwhile.
 */
class TwoInstancesIT {

    private static final int MESSAGES = 4_000;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();

    /**
     * During the outage an instance rewinds failed batches and keeps marks of them; the other one's restart moves
     * partitions between them. A mark that outlived the move would make an instance skip the batches of a partition it got back,
     * or seek it backwards: the topic would not drain, or its commits would stall.
     */
    @Test
    void aRabbitMqOutageDuringWhichOneInstanceRestartsLosesNothingAndStallsNoPartition() {
        int messages = 20_000;
        Map<String, String> first = names.provision(kafka);
        // few orders in flight slow the bridge down, so that the outage strikes mid-stream and not after the end
        first.put("BRIDGE_ORDERS_PREFETCH", "200");
        // batches fail within seconds of the outage and are rewound, rather than after minutes of back-off
        first.put("BRIDGE_REDELIVERY_MAXIMUM_REDELIVERIES", "1");
        Map<String, String> second = new HashMap<>(first);
        second.put("BRIDGE_MANAGEMENT_PORT", Integer.toString(KafkaBroker.freePort()));
        String name = "outage-restart-" + names.suffix();
        try (Traffic traffic = new Traffic(kafka, names, messages);
             BridgeProcess one = new BridgeProcess(name + "-1", first).startAndAwaitRoutes();
             BridgeProcess two = new BridgeProcess(name + "-2", second).startAndAwaitRoutes()) {
            kafka.awaitGroupMembers(names.shipmentsGroup(), 2, Duration.ofSeconds(60));
            traffic.fill();
            traffic.awaitProgress(messages / 10, Duration.ofSeconds(60));
            assertThat(traffic.notificationsDelivered()).as("notifications before the outage").isLessThan(messages);

            RabbitMq.ctl("stop_app");
            try {
                Awaitility.await("an instance rewound a batch").atMost(Duration.ofSeconds(60))
                        .until(() -> rewound(one) || rewound(two));
                // the other one restarts: the rebalances move partitions while the first holds its marks
                BridgeProcess restarted = rewound(one) ? two : one;
                restarted.stop();
                restarted.start();
                kafka.awaitGroupMembers(names.shipmentsGroup(), 2, Duration.ofSeconds(60));
            } finally {
                RabbitMq.ctl("start_app");
                RabbitMq.ctl("await_startup");
            }

            traffic.awaitAll(Duration.ofMinutes(4));
            System.out.println("TwoInstancesIT outage: " + traffic.report());
            assertThat(traffic.ordersDelivered()).as("orders delivered (%s)", traffic.report()).isEqualTo(messages);
            assertThat(traffic.notificationsDelivered()).as("notifications delivered (%s)", traffic.report())
                    .isEqualTo(messages);
            assertThat(traffic.ordersDeadLettered()).as("orders dead-lettered").isZero();
            Awaitility.await("every shipment committed").atMost(Duration.ofSeconds(60))
                    .until(() -> kafka.groupLag(names.shipmentsGroup(), names.shipmentsTopic()) == 0);
            assertThat(one.log()).noneMatch(line -> line.contains("Dead letter from route"));
            assertThat(two.log()).noneMatch(line -> line.contains("Dead letter from route"));
        }
    }

    private static boolean rewound(BridgeProcess bridge) {
        return bridge.log().stream().anyMatch(line -> line.contains("to deliver the rest again"));
    }

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
