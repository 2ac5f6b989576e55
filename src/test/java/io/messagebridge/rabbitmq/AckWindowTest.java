package io.messagebridge.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Coalesced acks never settle a delivery that is still in the route, and never let finished ones pile up. */
class AckWindowTest {

    private final List<String> settled = new ArrayList<>();
    private final AtomicInteger unsettled = new AtomicInteger();
    private final RabbitAcknowledgement.AckWindow window = new RabbitAcknowledgement.AckWindow(
            new RabbitAcknowledgement.Settlement() {
                @Override
                public void ack(long tag, boolean multiple) {
                    settled.add((multiple ? "ack<=" : "ack ") + tag);
                }

                @Override
                public void requeue(long tag) {
                    settled.add("requeue " + tag);
                }
            }, "route", 3, 12, unsettled);

    private void deliver(long... tags) {
        for (long tag : tags) {
            window.delivered(tag);
        }
    }

    @Test
    void oneMultipleAckPerBatchOfCompleteDeliveries() {
        deliver(1, 2, 3, 4, 5, 6, 7);
        window.completed(1);
        window.completed(2);
        assertThat(settled).isEmpty();
        window.completed(3);
        assertThat(settled).containsExactly("ack<=3");
        window.completed(4);
        window.completed(5);
        window.completed(6);
        assertThat(settled).containsExactly("ack<=3", "ack<=6");
        assertThat(unsettled).as("7 is still on its way").hasValue(1);
    }

    @Test
    void aBatchOfDeliveriesIsSettledTogether() {
        window.delivered(1, 2, 3, 4);
        window.delivered(5, 6);
        window.completed(5, 6);
        assertThat(settled).as("1 to 4 are still on their way").isEmpty();
        window.completed(1, 2, 4);
        window.failed(3);
        assertThat(settled).containsExactly("requeue 3", "ack<=6");
        assertThat(unsettled).hasValue(0);
    }

    @Test
    void whatIsCompleteIsAckedAsSoonAsNothingIsInFlight() {
        deliver(1, 2);
        window.completed(2);
        assertThat(settled).isEmpty();
        window.completed(1);
        assertThat(settled).containsExactly("ack<=2");
    }

    @Test
    void anOlderDeliveryInFlightHoldsBackTheMultipleAck() {
        deliver(1, 2, 3, 4);
        window.completed(2);
        window.completed(3);
        window.completed(4);
        assertThat(settled).as("1 is still on its way to Kafka").isEmpty();
        window.completed(1);
        assertThat(settled).containsExactly("ack<=4");
    }

    @Test
    void aRequeuedDeliveryIsNeverNamedByAMultipleAck() {
        deliver(1, 2, 3);
        window.completed(1);
        window.failed(3);
        assertThat(settled).containsExactly("requeue 3");
        window.completed(2);
        assertThat(settled).containsExactly("requeue 3", "ack<=2");
    }

    @Test
    void deliveriesHeldBackByASlowOneAreAckedOneByOne() {
        deliver(1);
        for (long tag = 2; tag <= 13; tag++) {
            window.delivered(tag);
            window.completed(tag);
        }
        // half the prefetch (12) complete behind delivery 1, which is waiting for a retry
        assertThat(settled).hasSize(12).allMatch(s -> s.startsWith("ack ")).doesNotContain("ack 1");
        window.completed(1);
        assertThat(settled).last().isEqualTo("ack<=1");
        assertThat(unsettled).hasValue(0);
    }

    @Test
    void heldDeliveriesAreNeverAckedAndGoBackToTheQueueOnRelease() {
        deliver(1, 2);
        window.held(3);
        window.held(4);
        window.completed(2);
        window.completed(1);
        assertThat(settled).containsExactly("ack<=2");
        assertThat(unsettled).as("held deliveries are not waited for").hasValue(0);
        window.delivered(5);
        window.completed(5);
        assertThat(settled).as("no multiple-ack passes a held delivery").containsExactly("ack<=2");
        window.requeueHeld();
        assertThat(settled).containsExactly("ack<=2", "requeue 3", "requeue 4", "ack<=5");
    }
}
