package io.messagebridge.templates;

import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import io.messagebridge.core.BridgeProperties;
import io.messagebridge.dedup.Deduplication;
import io.messagebridge.errors.BridgeErrorHandling;
import io.messagebridge.failures.BatchDeadLetters;
import io.messagebridge.failures.PermanentFailures;
import io.messagebridge.kafka.KafkaBatchCommit;
import io.messagebridge.kafka.PolledRecords;
import io.messagebridge.kafka.ReplayedRecords;
import io.messagebridge.outputs.ConfirmChannels;
import io.messagebridge.rabbitmq.BatchingRabbitContainerFactory;
import io.messagebridge.rabbitmq.RabbitAcknowledgement;
import io.messagebridge.rabbitmq.RabbitDeliveries;
import io.messagebridge.rabbitmq.ReplayedDeliveries;
import io.messagebridge.tokafka.KafkaBatchComponent;
import io.messagebridge.tokafka.KafkaRecordBatch;
import io.messagebridge.tokafka.RabbitDeliveriesToKafka;
import io.messagebridge.torabbitmq.KafkaRecordsToAmqp;
import io.messagebridge.torabbitmq.PendingPublishes;
import io.messagebridge.torabbitmq.RabbitBatchPublisher;
import org.apache.camel.CamelContext;
import org.apache.camel.Expression;
import org.apache.camel.Processor;
import org.apache.camel.RouteTemplateContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;

/**
 * The route templates every bridge is made from, so that each one carries all the delivery guarantees and none
 * repeats them: the Java DSL flows are instances of them, and so is a ten-line {@code templatedRoute} in routes/.
 * <ul>
 * <li>{@value #RABBITMQ_TO_KAFKA}: a durable queue bound to a durable topic exchange, consumed in batches
 * ({@link BatchingRabbitContainerFactory}) with manual acks, each delivery acked only once Kafka acked its record (acks=all,
 * idempotent producer), key from a JSON field, AMQP properties and headers as Kafka headers, bad messages
 * dead-lettered one by one, optional deduplication.</li>
 * <li>{@value #KAFKA_TO_RABBITMQ}: a Kafka topic consumed in batches; each batch mapped in one pass and published
 * persistent and mandatory with publisher confirms, routing key from a pattern over JSON fields, offsets committed
 * only after the confirms, bad and unroutable messages dead-lettered one by one.</li>
 * <li>{@value #KAFKA_TO_ROUTE} and {@value #RABBITMQ_TO_ROUTE}: the same consumers, handing each input to a route
 * of your own (a {@code direct:} endpoint) whose {@code kafka:} and {@code spring-rabbitmq:} sends do not wait one by
 * one ({@link io.messagebridge.outputs.BatchOutputs}); the batch is committed, or each delivery acked, once every
 * output of it is confirmed.</li>
 * </ul>
 * The Kafka-fed ones skip a replayed dead letter meant for another route ({@link ReplayedRecords}); the RabbitMQ-fed
 * ones see a replayed message as coming through the exchange it first came through ({@link ReplayedDeliveries}).
 * All of them use the {@code bridge} route configuration (dead letters, retries, {@code bridge.redelivery.<route id>.*}).
 */
public class BridgeTemplates extends RouteBuilder {

    public static final String RABBITMQ_TO_KAFKA = "rabbitmq-to-kafka";
    public static final String KAFKA_TO_RABBITMQ = "kafka-to-rabbitmq";
    public static final String KAFKA_TO_ROUTE = "kafka-to-route";
    public static final String RABBITMQ_TO_ROUTE = "rabbitmq-to-route";

    @Override
    public void configure() throws Exception {
        Deduplication dedup = Deduplication.from(getContext());

        rabbitSource(routeTemplate(RABBITMQ_TO_KAFKA)
                .templateParameter("topic", null, "Kafka topic to write to")
                .templateParameter("keyField", null, "top-level JSON field whose value is the record key")
                .templateBean("records", Processor.class,
                        rtc -> new RabbitDeliveriesToKafka(parameter(rtc, "keyField"), dedup)))
                // retries wait on a timer, not on one of the few threads that complete Kafka sends for many messages
                .routeProperty(BridgeProperties.ASYNC_REDELIVERY, "true")
                // a record Kafka refuses for good is dead-lettered on its own, not the batch (it cannot be one message)
                .onException(PermanentFailures.classes())
                    .handled(true)
                    .maximumRedeliveries(0)
                    .process(KafkaRecordBatch.deadLetterRefused(BridgeErrorHandling.DEAD_LETTER_URI))
                    .process(dedup.rememberAll(KafkaRecordBatch::deliveredMessages))
                .end()
                .process(RabbitAcknowledgement.BEAN)
                .process("{{records}}")
                // one send of the whole batch; the exchange completes once Kafka answered for every record
                .to(KafkaBatchComponent.SCHEME + ":{{topic}}")
                .process(dedup.rememberAll(KafkaRecordBatch::deliveredMessages))
                .process(BatchDeadLetters.send(BridgeErrorHandling.DEAD_LETTER_URI));

        callRoute(rabbitSource(calling(routeTemplate(RABBITMQ_TO_ROUTE), "direct:order-cancellations",
                RabbitDeliveries.asMessages())).process(RabbitAcknowledgement.BEAN));

        kafkaSource(routeTemplate(KAFKA_TO_RABBITMQ)
                .templateParameter("exchange", null, "RabbitMQ topic exchange to publish to (declared durable)")
                .templateParameter("routingKey", null, "routing-key pattern, <field> = lower-cased JSON field")
                .templateBean("amqpMessages", Processor.class, rtc -> new KafkaRecordsToAmqp(
                        parameter(rtc, "exchange"), parameter(rtc, "routingKey").trim(), dedup))
                .templateBean("publisher", Processor.class, BridgeTemplates::publisher))
                .process("{{amqpMessages}}")
                .process("{{publisher}}")
                .process(dedup.rememberAll(PendingPublishes::sources))
                .process(BatchDeadLetters.send(BridgeErrorHandling.DEAD_LETTER_URI));

        callRoute(kafkaSource(calling(routeTemplate(KAFKA_TO_ROUTE), "direct:order-lines", PolledRecords.records())));
    }

    /**
     * The batch's inputs handed to the route named by the "to" parameter ({@link RouteCall}), which waits once for all
     * their outputs; then the batch's dead letters, before the source commits or acks it.
     */
    private static void callRoute(RouteDefinition source) {
        source.process("{{call}}")
                .process(BatchDeadLetters.send(BridgeErrorHandling.DEAD_LETTER_URI));
    }

    /** The template's "to" parameter, and the bean that calls that endpoint for each input. */
    private static RouteTemplateDefinition calling(RouteTemplateDefinition template, String example, Expression inputs) {
        return template
                .templateParameter("to", null, "the endpoint of the route that handles each input, e.g. " + example)
                .templateBean("call", Processor.class, rtc -> new RouteCall(parameter(rtc, "to"), inputs));
    }

    /**
     * A durable queue bound to a durable topic exchange, consumed in batches ({@link BatchingRabbitContainerFactory}) with
     * manual acks, its bad messages dead-lettered to {@code <queue><suffix>}.
     */
    private static RouteDefinition rabbitSource(RouteTemplateDefinition template) {
        return template
                .templateParameter("exchange", null, "RabbitMQ topic exchange to consume from (declared durable)")
                .templateParameter("queue", null, "durable queue the bridge declares, binds and consumes")
                .templateParameter("bindingKey", "#", "binding key of the queue")
                .templateParameter("queueType", "quorum", "quorum or classic")
                .templateParameter("prefetch", "250", "messages in flight per consumer")
                .templateParameter("consumers", "1", "concurrent consumers")
                .from(BatchingRabbitContainerFactory.SCHEME + ":{{exchange}}"
                        + "?queues={{queue}}"
                        + "&routingKey={{bindingKey}}"
                        + "&exchangeType=topic"
                        + "&autoDeclare=true"
                        + "&arg.queue.durable=true"
                        + "&arg.queue.x-queue-type={{queueType}}"
                        + "&acknowledgeMode=MANUAL"
                        + "&asyncConsumer=true"
                        + "&prefetchCount={{prefetch}}"
                        + "&concurrentConsumers={{consumers}}"
                        + "&deadLetterExchange={{bridge.dead-letter.exchange}}"
                        + "&deadLetterExchangeType=direct"
                        + "&deadLetterQueue={{queue}}{{bridge.dead-letter.queue-suffix}}"
                        + "&deadLetterRoutingKey={{queue}}")
                .routeConfigurationId(BridgeErrorHandling.ID);
    }

    /**
     * A Kafka topic consumed in batches in a consumer group that starts from the earliest offset, auto-commit off:
     * {@link KafkaBatchCommit} commits each batch once it is delivered, or rewinds it.
     */
    private static RouteDefinition kafkaSource(RouteTemplateDefinition template) {
        return template
                .templateParameter("topic", null, "Kafka topic to consume")
                .templateParameter("group", null, "consumer group")
                .templateParameter("maxPollRecords", "500", "records per batch")
                .templateParameter("batchIntervalMs", "50", "how long a partial batch waits")
                .templateParameter("maxPollIntervalMs", "1800000", "above the route's whole retry budget (RetryBudgetCheck)")
                .templateParameter("consumers", "1", "consumer threads")
                .templateBean("batchCommit", Processor.class, rtc -> new KafkaBatchCommit())
                .templateBean("replayed", Processor.class, rtc -> new ReplayedRecords(optionalParameter(rtc, "to")))
                .from("kafka:{{topic}}"
                        + "?groupId={{group}}"
                        + "&autoOffsetReset=earliest"
                        + "&autoCommitEnable=false"
                        + "&allowManualCommit=true"
                        + "&kafkaManualCommitFactory=#class:org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory"
                        + "&batching=true"
                        + "&maxPollRecords={{maxPollRecords}}"
                        + "&batchingIntervalMs={{batchIntervalMs}}"
                        + "&pollTimeoutMs={{batchIntervalMs}}"
                        + "&maxPollIntervalMs={{maxPollIntervalMs}}"
                        + "&consumersCount={{consumers}}")
                .routeConfigurationId(BridgeErrorHandling.ID)
                .process("{{batchCommit}}")
                .process("{{replayed}}");
    }

    private static RabbitBatchPublisher publisher(RouteTemplateContext rtc) {
        CamelContext context = rtc.getCamelContext();
        return new RabbitBatchPublisher(context.getRegistry().lookupByNameAndType(ConfirmChannels.BEAN, ConfirmChannels.class),
                RabbitMqSettings.confirmTimeoutMillis(Settings.of(context)));
    }

    /** A parameter's value with its property placeholders resolved (it may be {{bridge.some.key}}). */
    private static String parameter(RouteTemplateContext rtc, String name) {
        return rtc.getCamelContext().resolvePropertyPlaceholders(rtc.getProperty(name, String.class));
    }

    /** The same, or null for a parameter the template does not have. */
    private static String optionalParameter(RouteTemplateContext rtc, String name) {
        return rtc.getProperty(name, String.class) == null ? null : parameter(rtc, name);
    }
}
