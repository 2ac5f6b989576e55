package io.messagebridge.routes;

import io.messagebridge.templates.BridgeTemplates;
import org.apache.camel.builder.RouteBuilder;

/**
 * Orders published to the RabbitMQ topic exchange {@code orders} (binding {@code order.#}) go to the Kafka topic
 * {@code orders}, keyed by the order id, with AMQP properties and headers as Kafka headers. A delivery is acked only
 * once Kafka acked the record. An instance of the {@value BridgeTemplates#RABBITMQ_TO_KAFKA} template.
 */
public class OrdersToKafkaRoute extends RouteBuilder {

    static final String ROUTE_ID = "orders-to-kafka";

    @Override
    public void configure() {
        templatedRoute(BridgeTemplates.RABBITMQ_TO_KAFKA)
                .routeId(ROUTE_ID)
                .parameter("exchange", "{{bridge.orders.exchange}}")
                .parameter("queue", "{{bridge.orders.queue}}")
                .parameter("bindingKey", "{{bridge.orders.binding-key}}")
                .parameter("queueType", "{{bridge.orders.queue-type}}")
                .parameter("prefetch", "{{bridge.orders.prefetch}}")
                .parameter("consumers", "{{bridge.orders.consumers}}")
                .parameter("topic", "{{bridge.orders.topic}}")
                .parameter("keyField", "{{bridge.orders.key-field}}");
    }
}
