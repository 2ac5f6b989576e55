package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.messagebridge.harness.RouteUnderTest;
import io.messagebridge.harness.RouteUnderTest.Sent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The split example, routes/order-lines.yaml, without brokers. */
class OrderLinesRouteTest {

    private RouteUnderTest route;

    @BeforeEach
    void load() throws Exception {
        route = RouteUnderTest.file("routes/order-lines.yaml", Map.of("bridge.order-lines.topic", "lines"));
    }

    @AfterEach
    void close() {
        route.close();
    }

    @Test
    void eachLineBecomesARecordKeyedByOrderWithItsIndexAndTheLineCount() {
        route.send("direct:order-lines", "{\"orderId\":\"o-1\",\"total\":5,\"lines\":[{\"sku\":\"A\",\"qty\":2},{\"sku\":\"B\",\"qty\":1}]}",
                RouteUnderTest.kafkaRecord("orders", "o-1"));

        assertThat(route.sent("kafka:lines")).extracting(Sent::body).containsExactly(
                "{\"orderId\":\"o-1\",\"index\":0,\"lineCount\":2,\"line\":{\"sku\":\"A\",\"qty\":2}}",
                "{\"orderId\":\"o-1\",\"index\":1,\"lineCount\":2,\"line\":{\"sku\":\"B\",\"qty\":1}}");
        assertThat(route.sent("kafka:lines")).extracting(s -> s.header("kafka.KEY")).containsOnly("o-1");
        assertThat(route.deadLetters()).isEmpty();
    }

    @Test
    void anOrderWithoutLinesProducesNothingAndIsNoError() {
        route.send("direct:order-lines", "{\"orderId\":\"o-2\"}", RouteUnderTest.kafkaRecord("orders", "o-2"));
        route.send("direct:order-lines", "{\"orderId\":\"o-3\",\"lines\":[]}", RouteUnderTest.kafkaRecord("orders", "o-3"));

        assertThat(route.sent("kafka:lines")).isEmpty();
        assertThat(route.deadLetters()).isEmpty();
    }

    @Test
    void linesThatAreNotAnArrayOrNoOrderIdAreDeadLettered() {
        route.send("direct:order-lines", "{\"orderId\":\"o-4\",\"lines\":\"A,B\"}", RouteUnderTest.kafkaRecord("orders", "o-4"));
        route.send("direct:order-lines", "{\"lines\":[{\"sku\":\"A\"}]}", RouteUnderTest.kafkaRecord("orders", "o-5"));

        assertThat(route.sent("kafka:lines")).isEmpty();
        assertThat(route.deadLetters()).extracting(d -> d.header("x-error-message"))
                .containsExactly("'lines' must be an array", "no 'orderId' field");
        assertThat(route.deadLetters()).extracting(d -> d.header("kafka.OVERRIDE_TOPIC")).containsOnly("orders.DLT");
        assertThat(route.deadLetters().get(0).body()).isEqualTo("{\"orderId\":\"o-4\",\"lines\":\"A,B\"}");
    }
}
