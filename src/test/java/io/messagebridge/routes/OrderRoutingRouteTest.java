package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.messagebridge.harness.RouteUnderTest;
import io.messagebridge.harness.RouteUnderTest.Sent;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.junit.jupiter.api.Test;

/**
 * The content-based routing example, routes/order-routing.yaml, without brokers; and the same flow written in the
 * Java DSL (as docs/writing-routes.md shows it) behaves identically.
 */
class OrderRoutingRouteTest {

    private static final Map<String, String> TOPICS = Map.of(
            "bridge.order-routing.cancelled-topic", "cancelled",
            "bridge.order-routing.priority-topic", "priority",
            "bridge.order-routing.other-topic", "other");

    /** The Java DSL version (docs/writing-routes.md) of routes/order-routing.yaml. */
    static class OrderRoutingInJava extends RouteBuilder {
        @Override
        public void configure() {
            from("direct:order-routing")
                    .routeId("order-routing")
                    .routeConfigurationId("bridge")
                    .setHeader(KafkaConstants.KEY).language("jsonfield", "orderId")
                    .setProperty("region").language("jsonfield", "region")
                    .setProperty("status").language("jsonfield", "status?")
                    .choice()
                        .when(simple("${exchangeProperty.status} =~ 'cancelled'"))
                            .to("kafka:{{bridge.order-routing.cancelled-topic}}")
                        .when(simple("${exchangeProperty.region} =~ '{{bridge.order-routing.priority-region}}'"))
                            .to("kafka:{{bridge.order-routing.priority-topic}}")
                        .otherwise()
                            .to("kafka:{{bridge.order-routing.other-topic}}")
                    .end();
        }
    }

    @Test
    void ordersGoByStatusThenRegionAndEverythingElseToTheOtherwiseTopic() throws Exception {
        try (RouteUnderTest yaml = RouteUnderTest.file("routes/order-routing.yaml", TOPICS);
             RouteUnderTest java = RouteUnderTest.java(new OrderRoutingInJava(), TOPICS)) {
            for (RouteUnderTest route : List.of(yaml, java)) {
                send(route, "{\"orderId\":\"o-1\",\"region\":\"eu\",\"status\":\"CANCELLED\"}");
                send(route, "{\"orderId\":\"o-2\",\"region\":\"EU\"}");
                send(route, "{\"orderId\":\"o-3\",\"region\":\"us\",\"status\":\"new\"}");
                send(route, "{\"orderId\":\"o-4\",\"region\":\"eu\",\"status\":{\"code\":1}}");
                send(route, "{\"orderId\":\"o-5\"}");

                assertThat(keys(route, "kafka:cancelled")).containsExactly("o-1");
                assertThat(keys(route, "kafka:priority")).containsExactly("o-2", "o-4");
                assertThat(keys(route, "kafka:other")).containsExactly("o-3");
                assertThat(route.deadLetters()).extracting(d -> d.header("x-error-message")).containsExactly("no 'region' field");
            }
        }
    }

    private static void send(RouteUnderTest route, String order) {
        route.send("direct:order-routing", order, RouteUnderTest.kafkaRecord("orders", null));
    }

    private static List<Object> keys(RouteUnderTest route, String uri) {
        return route.sent(uri).stream().map(s -> s.header(KafkaConstants.KEY)).toList();
    }
}
