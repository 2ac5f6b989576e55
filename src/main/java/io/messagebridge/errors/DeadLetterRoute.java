package io.messagebridge.errors;

import io.messagebridge.management.BridgeRoutes;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * Where permanent failures go. A message from Kafka goes to its topic's dead-letter topic ({@code <topic>.DLT}) with
 * the same key; a message from RabbitMQ goes to the dead-letter exchange with its source queue as routing key, which
 * the consumer declared bound to a durable {@code <queue>.dlq}. If the dead letter cannot be written, the failure
 * goes back to the source route, so the message stays at its source.
 */
public class DeadLetterRoute extends RouteBuilder {

    @Override
    public void configure() {
        from(BridgeErrorHandling.DEAD_LETTER_URI)
                .routeId("dead-letter")
                .routeConfigurationId(BridgeErrorHandling.DEAD_LETTER_ID)
                .process(new DeadLetterHeaders())
                .choice()
                    .when(header(DeadLetterHeaders.ORIGIN_TOPIC).isNotNull())
                        .setHeader(KafkaConstants.OVERRIDE_TOPIC,
                                simple("${header." + DeadLetterHeaders.ORIGIN_TOPIC + "}{{bridge.dead-letter.topic-suffix}}"))
                        // synchronous: a batch route must finish (and commit) on its Kafka consumer's own thread
                        .to("kafka:dead-letters?synchronous=true")
                    .when(header(DeadLetterHeaders.ORIGIN_QUEUE).isNull())
                        // no dead-letter queue to route to: fail, so the message stays at its source
                        .throwException(IllegalStateException.class, "dead letter of route ${exchangeProperty."
                                + "CamelFailureRouteId} has no origin queue or topic; it stays at its source")
                    .otherwise()
                        .setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, header(DeadLetterHeaders.ORIGIN_QUEUE))
                        .setHeader(SpringRabbitMQConstants.DELIVERY_MODE, constant("PERSISTENT"))
                        .to("spring-rabbitmq:{{bridge.dead-letter.exchange}}?confirm=enabled"
                                + "&confirmTimeout={{bridge.rabbitmq.confirm-timeout-ms}}")
                .end()
                .process(BridgeRoutes::countDeadLetter);
    }
}
