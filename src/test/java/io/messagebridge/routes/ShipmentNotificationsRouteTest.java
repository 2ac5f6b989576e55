package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.messagebridge.harness.RouteUnderTest;
import io.messagebridge.harness.RouteUnderTest.Sent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transform example, ShipmentNotificationsRoute (Java DSL, typed Jackson mapping), without brokers. */
class ShipmentNotificationsRouteTest {

    private RouteUnderTest route;

    @BeforeEach
    void load() throws Exception {
        route = RouteUnderTest.java(new ShipmentNotificationsRoute(), Map.of("bridge.notifications.topic", "notes"));
    }

    @AfterEach
    void close() {
        route.close();
    }

    private void shipment(String body) {
        route.send("direct:shipment-notifications", body, RouteUnderTest.kafkaRecord("shipments", "k"));
    }

    @Test
    void shipmentsBecomeNotificationDocumentsWithIsoTimes() {
        shipment("{\"shipmentId\":\"s-1\",\"orderId\":\"o-1\",\"status\":\"SHIPPED\",\"eta\":\"2026-12-01T10:00:00+01:00\","
                + "\"carrier\":\"x\"}");
        shipment("{\"shipmentId\":\"s-2\",\"orderId\":\"o-2\",\"status\":\"delivered\",\"eta\":1764583200000,"
                + "\"eventTime\":\"2026-11-30T08:00:00Z\"}");
        shipment("{\"shipmentId\":\"s-3\",\"orderId\":\"o-3\",\"status\":\"created\"}");

        assertThat(route.sent("kafka:notes")).extracting(Sent::body).containsExactly(
                "{\"shipmentId\":\"s-1\",\"orderId\":\"o-1\",\"status\":\"shipped\",\"eta\":\"2026-12-01T09:00:00Z\","
                        + "\"eventTime\":\"2023-11-14T22:13:20Z\"}",
                "{\"shipmentId\":\"s-2\",\"orderId\":\"o-2\",\"status\":\"delivered\",\"eta\":\"2025-12-01T10:00:00Z\","
                        + "\"eventTime\":\"2026-11-30T08:00:00Z\"}",
                "{\"shipmentId\":\"s-3\",\"orderId\":\"o-3\",\"status\":\"created\",\"eta\":null,"
                        + "\"eventTime\":\"2023-11-14T22:13:20Z\"}");
        assertThat(route.sent("kafka:notes")).extracting(s -> s.header("kafka.KEY")).containsExactly("s-1", "s-2", "s-3");
        assertThat(route.deadLetters()).isEmpty();
    }

    @Test
    void eventsThatCannotBeMappedAreDeadLettered() {
        shipment("not json");
        shipment("{\"orderId\":\"o-4\",\"status\":\"shipped\"}");
        shipment("{\"shipmentId\":\"s-5\",\"orderId\":\"o-5\",\"status\":\"shipped\",\"eta\":\"tomorrow\"}");

        assertThat(route.sent("kafka:notes")).isEmpty();
        assertThat(route.deadLetters()).extracting(d -> d.header("x-error-message").toString())
                .satisfiesExactly(
                        m -> assertThat(m).startsWith("Unrecognized token 'not'"),
                        m -> assertThat(m).isEqualTo("no 'shipmentId' field"),
                        m -> assertThat(m).isEqualTo("'eta' must be ISO-8601 or epoch milliseconds: 'tomorrow'"));
        assertThat(route.deadLetters()).extracting(d -> d.header("kafka.OVERRIDE_TOPIC")).containsOnly("shipments.DLT");
    }
}
