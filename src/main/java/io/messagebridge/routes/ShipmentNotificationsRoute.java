package io.messagebridge.routes;

import io.messagebridge.errors.BridgeErrorHandling;
import io.messagebridge.mapping.ShipmentEvent;
import io.messagebridge.mapping.ShipmentNotification;
import io.messagebridge.templates.BridgeTemplates;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Transform: each shipment event becomes a {@link ShipmentNotification} document (typed Jackson mapping: a stable
 * schema, ISO-8601 times) on the Kafka topic {@code notifications}, keyed by shipment id. An event that is not JSON or
 * lacks a required field is dead-lettered to {@code <source topic>.DLT}. The topic is consumed by the
 * {@value BridgeTemplates#KAFKA_TO_ROUTE} template, which commits each batch once this route is done with it.
 */
public class ShipmentNotificationsRoute extends RouteBuilder {

    static final String ROUTE_ID = "shipment-notifications";

    @Override
    public void configure() {
        templatedRoute(BridgeTemplates.KAFKA_TO_ROUTE)
                .routeId(ROUTE_ID + "-source")
                .parameter("topic", "{{bridge.notifications.source-topic}}")
                .parameter("group", "{{bridge.notifications.group}}")
                .parameter("to", "direct:" + ROUTE_ID);

        from("direct:" + ROUTE_ID)
                .routeId(ROUTE_ID)
                .routeConfigurationId(BridgeErrorHandling.ID)
                .unmarshal(new JacksonDataFormat(ShipmentEvent.class))
                .process(exchange -> {
                    Message message = exchange.getMessage();
                    ShipmentNotification notification = ShipmentNotification.of(message.getBody(ShipmentEvent.class),
                            message.getHeader(KafkaConstants.TIMESTAMP, Long.class));
                    message.setHeader(KafkaConstants.KEY, notification.shipmentId());
                    message.setBody(notification);
                })
                .marshal(new JacksonDataFormat(ShipmentNotification.class))
                .to("kafka:{{bridge.notifications.topic}}");
    }
}
