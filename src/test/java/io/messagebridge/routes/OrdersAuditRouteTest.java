package io.messagebridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.messagebridge.harness.RouteUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The templated RabbitMQ-to-Kafka bridge of routes/orders-audit.yaml, without brokers. */
class OrdersAuditRouteTest {

    private RouteUnderTest route;

    @BeforeEach
    void load() throws Exception {
        route = RouteUnderTest.file("routes/orders-audit.yaml", Map.of());
    }

    @AfterEach
    void close() {
        route.close();
    }

    @Test
    void ordersGoToTheAuditTopicKeyedByOrderIdWithTheirAmqpProperties() {
        route.send("direct:orders-audit", "{\"orderId\":\"o-7\",\"total\":12}",
                Map.of("CamelSpringRabbitmqMessageId", "m-7", "CamelSpringRabbitmqRoutingKey", "order.created"));

        assertThat(route.sent("kafka:{{bridge.audit.topic}}")).singleElement().satisfies(record -> {
            assertThat(record.body()).isEqualTo("{\"orderId\":\"o-7\",\"total\":12}");
            assertThat(record.header("kafka.KEY")).isEqualTo("o-7");
            assertThat(record.header("message-id")).isEqualTo("m-7");
            assertThat(record.header("rabbitmq-routing-key")).isEqualTo("order.created");
        });
        assertThat(route.deadLetters()).isEmpty();
    }
}
