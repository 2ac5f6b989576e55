package io.messagebridge.errors;

import io.messagebridge.core.RouteCounting;
import io.messagebridge.failures.UnroutableMessageException;
import io.messagebridge.outputs.ConfirmChannels;
import io.messagebridge.outputs.RecordOutputs;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * Where permanent failures go. A message from Kafka goes to its topic's dead-letter topic ({@code <topic>.DLT}) with
 * the same key; a message from RabbitMQ goes to the dead-letter exchange with its source queue as routing key, which
 * the consumer declared bound to a durable {@code <queue>.dlq} (declared again if it was deleted since). If the dead
 * letter cannot be written, the failure goes back to the source route, so the message stays at its source.
 */
public class DeadLetterRoute extends RouteBuilder {

    public static final String ROUTE_ID = "dead-letter";

    private static final String RABBITMQ_DEAD_LETTERS = "spring-rabbitmq:{{bridge.dead-letter.exchange}}"
            + "?confirmTimeout={{bridge.rabbitmq.confirm-timeout-ms}}";

    @Override
    public void configure() {
        from(BridgeErrorHandling.DEAD_LETTER_URI)
                .routeId(ROUTE_ID)
                .routeConfigurationId(BridgeErrorHandling.DEAD_LETTER_ID)
                // written and confirmed here and now, not with the outputs of the batch the message came in
                .process(RecordOutputs::leave)
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
                        .setHeader(SpringRabbitMQConstants.DELIVERY_MODE, constant("PERSISTENT"))
                        .doTry()
                            .setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, header(DeadLetterHeaders.ORIGIN_QUEUE))
                            .to(RABBITMQ_DEAD_LETTERS)
                        .doCatch(UnroutableMessageException.class)
                            // the dead-letter queue was deleted while the application ran: declare it again, once
                            .process(DeadLetterRoute::declareDeadLetterQueue)
                            .setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, header(DeadLetterHeaders.ORIGIN_QUEUE))
                            .to(RABBITMQ_DEAD_LETTERS)
                        .end()
                .end()
                .process(RouteCounting::countDeadLetter);
    }

    /** {@code <queue><suffix>}, durable, bound to the dead-letter exchange with the queue's name, as its consumer declares it. */
    private static void declareDeadLetterQueue(Exchange deadLetter) throws Exception {
        CamelContext context = deadLetter.getContext();
        String queue = deadLetter.getMessage().getHeader(DeadLetterHeaders.ORIGIN_QUEUE, String.class);
        context.getRegistry().lookupByNameAndType(ConfirmChannels.BEAN, ConfirmChannels.class).declareBoundQueue(
                queue + context.resolvePropertyPlaceholders("{{bridge.dead-letter.queue-suffix}}"),
                context.resolvePropertyPlaceholders("{{bridge.dead-letter.exchange}}"), "direct", queue);
    }
}
