package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.messagebridge.harness.RouteUnderTest;
import io.messagebridge.harness.RouteUnderTest.Sent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter example, routes/order-alerts.yaml, without brokers. */
class OrderAlertsRouteTest {

    private RouteUnderTest route;

    @BeforeEach
    void load() throws Exception {
        route = RouteUnderTest.file("routes/order-alerts.yaml", Map.of("bridge.order-alerts.exchange", "alerts"));
    }

    @AfterEach
    void close() {
        route.close();
    }

    private void order(String id, String total) {
        route.send("direct:order-alerts", "{\"orderId\":\"" + id + "\",\"region\":\"EU\"" + (total == null ? "" : ",\"total\":" + total) + "}",
                RouteUnderTest.kafkaRecord("orders", id));
    }

    @Test
    void ordersAtOrAboveTheThresholdBecomeAlertsRoutedByRegionAndTheOthersAreDropped() {
        order("o-1", "999.99");
        order("o-2", "1000");
        order("o-3", "25000.5");
        order("o-4", "12");

        assertThat(route.sent("spring-rabbitmq:alerts")).extracting(Sent::body).containsExactly(
                "{\"orderId\":\"o-2\",\"region\":\"EU\",\"total\":1000}",
                "{\"orderId\":\"o-3\",\"region\":\"EU\",\"total\":25000.5}");
        assertThat(route.sent("spring-rabbitmq:alerts")).extracting(s -> s.header("CamelSpringRabbitmqRoutingOverrideKey"))
                .containsOnly("order.high-value.eu");
        assertThat(route.deadLetters()).isEmpty();
    }

    @Test
    void theThresholdIsASetting() throws Exception {
        try (RouteUnderTest lower = RouteUnderTest.file("routes/order-alerts.yaml",
                Map.of("bridge.order-alerts.exchange", "alerts", "bridge.order-alerts.threshold", "10"))) {
            lower.send("direct:order-alerts", "{\"orderId\":\"o-5\",\"region\":\"us\",\"total\":12}",
                    RouteUnderTest.kafkaRecord("orders", "o-5"));
            assertThat(lower.sent("spring-rabbitmq:alerts")).extracting(s -> s.header("CamelSpringRabbitmqRoutingOverrideKey"))
                    .containsExactly("order.high-value.us");
        }
    }

    @Test
    void aMissingOrNonNumericTotalIsDeadLettered() {
        order("o-6", null);
        order("o-7", "\"lots\"");
        order("o-8", "{\"amount\":5}");

        assertThat(route.sent("spring-rabbitmq:alerts")).isEmpty();
        assertThat(route.deadLetters()).extracting(d -> d.header("x-error-message")).containsExactly(
                "no 'total' field", "'total' must be a number: 'lots'", "'total' must be a string or a number, not object");
        assertThat(route.deadLetters()).extracting(d -> d.header("x-error-route")).containsOnly("order-alerts");
    }
}
