package io.messagebridge.routes;

import io.messagebridge.templates.BridgeTemplates;
import org.apache.camel.builder.RouteBuilder;

/**
 * Shipment events from the Kafka topic {@code shipments} go to the RabbitMQ topic exchange {@code notifications}
 * with routing key {@code shipment.<status>}. Each poll's records are mapped one by one (a bad record is
 * dead-lettered on its own), published together with publisher confirms, and only then are their offsets committed.
 * An instance of the {@value BridgeTemplates#KAFKA_TO_RABBITMQ} template.
 */
public class ShipmentsToRabbitMqRoute extends RouteBuilder {

    static final String ROUTE_ID = "shipments-to-rabbitmq";

    @Override
    public void configure() {
        templatedRoute(BridgeTemplates.KAFKA_TO_RABBITMQ)
                .routeId(ROUTE_ID)
                .parameter("topic", "{{bridge.shipments.topic}}")
                .parameter("group", "{{bridge.shipments.group}}")
                .parameter("maxPollRecords", "{{bridge.shipments.max-poll-records}}")
                .parameter("batchIntervalMs", "{{bridge.shipments.batch-interval-ms}}")
                .parameter("maxPollIntervalMs", "{{bridge.shipments.max-poll-interval-ms}}")
                .parameter("consumers", "{{bridge.shipments.consumers}}")
                .parameter("exchange", "{{bridge.shipments.exchange}}")
                .parameter("routingKey", "{{bridge.shipments.routing-key-prefix}}<{{bridge.shipments.status-field}}>");
    }
}
