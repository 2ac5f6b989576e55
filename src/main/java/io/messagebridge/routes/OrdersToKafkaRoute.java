package io.messagebridge.routes;

import io.messagebridge.bridge.AmqpToKafkaHeaders;
import io.messagebridge.bridge.BridgeEndpoints;
import io.messagebridge.bridge.Deduplication;
import io.messagebridge.bridge.JsonFieldExpression;
import io.messagebridge.bridge.RabbitAcknowledgement;
import io.messagebridge.errors.BridgeErrorHandling;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Orders published to the RabbitMQ topic exchange {@code orders} (binding {@code order.#}) go to the Kafka topic
 * {@code orders}, keyed by the order id, with AMQP properties and headers as Kafka headers. A delivery is acked only
 * once Kafka acked the record (acks=all, idempotent producer: see camel.component.kafka.* in application.properties).
 */
public class OrdersToKafkaRoute extends RouteBuilder {

    static final String ROUTE_ID = "orders-to-kafka";
    static final String FLOW = "bridge.orders";

    @Override
    public void configure() throws Exception {
        String keyField = getContext().resolvePropertyPlaceholders("{{" + FLOW + ".key-field}}");
        Deduplication dedup = Deduplication.from(getContext());

        // retries wait on a timer, not on one of the few threads that complete Kafka sends for 1000 messages in flight
        errorHandler(BridgeErrorHandling.retries(getContext(), ROUTE_ID).asyncDelayedRedelivery());

        from(BridgeEndpoints.rabbitMqSource(FLOW))
                .routeId(ROUTE_ID)
                .routeConfigurationId(BridgeErrorHandling.ID)
                .process(RabbitAcknowledgement.from(getContext()))
                .process(new AmqpToKafkaHeaders())
                .filter(dedup.isNew())
                    .setHeader(KafkaConstants.KEY, JsonFieldExpression.text(keyField))
                    .to("kafka:{{" + FLOW + ".topic}}")
                    .process(dedup.rememberDelivered())
                .end();
    }
}
