package io.messagebridge.routes;

import io.messagebridge.bridge.BridgeEndpoints;
import io.messagebridge.bridge.Deduplication;
import io.messagebridge.bridge.JsonFieldExpression;
import io.messagebridge.bridge.KafkaBatch;
import io.messagebridge.bridge.KafkaBatchCommit;
import io.messagebridge.bridge.KafkaRecordToAmqp;
import io.messagebridge.bridge.RabbitBatchPublisher;
import io.messagebridge.bridge.RabbitOutbox;
import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.errors.BridgeErrorHandling;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * Shipment events from the Kafka topic {@code shipments} go to the RabbitMQ topic exchange {@code notifications}
 * with routing key {@code shipment.<status>}. Each poll's records are mapped one by one (a bad record is
 * dead-lettered on its own), published together with publisher confirms, and only then are their offsets committed.
 */
public class ShipmentsToRabbitMqRoute extends RouteBuilder {

    static final String ROUTE_ID = "shipments-to-rabbitmq";
    static final String FLOW = "bridge.shipments";

    @Override
    public void configure() throws Exception {
        String exchange = getContext().resolvePropertyPlaceholders("{{" + FLOW + ".exchange}}");
        String routingKeyPrefix = getContext().resolvePropertyPlaceholders("{{" + FLOW + ".routing-key-prefix}}");
        String statusField = getContext().resolvePropertyPlaceholders("{{" + FLOW + ".status-field}}");
        long confirmTimeout = Long.parseLong(getContext().resolvePropertyPlaceholders("{{bridge.rabbitmq.confirm-timeout-ms}}"));
        RabbitMqSettings rabbitMq = getContext().getRegistry().findSingleByType(RabbitMqSettings.class);
        Deduplication dedup = Deduplication.from(getContext());
        RabbitBatchPublisher publisher = new RabbitBatchPublisher(rabbitMq.clientConnectionFactory(), confirmTimeout,
                BridgeErrorHandling.DEAD_LETTER_URI);

        errorHandler(BridgeErrorHandling.retries(getContext(), ROUTE_ID));

        from(BridgeEndpoints.kafkaSource(FLOW))
                .routeId(ROUTE_ID)
                .routeConfigurationId(BridgeErrorHandling.ID)
                .process(new KafkaBatchCommit())
                .process(RabbitOutbox::open)
                .split(KafkaBatch.records())
                    .filter(dedup.isNew())
                        .setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY,
                                JsonFieldExpression.routingKey(routingKeyPrefix, statusField))
                        .process(new KafkaRecordToAmqp(exchange))
                    .end()
                .end()
                .process(publisher)
                .process(dedup.rememberPublished())
                .process(publisher.deadLetterUnroutable());
    }
}
