package io.messagebridge.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.messagebridge.core.BatchOutcome;
import io.messagebridge.core.BridgeProperties;
import io.messagebridge.failures.BatchDeadLetters;
import io.messagebridge.templates.RouteCall;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.ExpressionBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A batch of inputs through a route whose {@code kafka:} sends join the batch: what the Kafka client is handed, in
 * which order and with which ids, and when the batch completes or fails. Kafka's MockProducer stands in for the client,
 * so the test answers each record; PatternDeliveryIT runs the same against a real broker.
 */
class BatchOutputsTest {

    private final MockProducer<String, String> kafka = new MockProducer<>(false, new StringSerializer(), new StringSerializer());
    private final DefaultCamelContext context = new DefaultCamelContext();
    private ProducerTemplate producer;
    private final AtomicInteger flakyFailures = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        PipelinedKafkaComponent component = new PipelinedKafkaComponent();
        component.getConfiguration().setBrokers("localhost:9092");
        component.setKafkaClientFactory(new DefaultKafkaClientFactory() {
            @Override
            public Producer getProducer(Properties kafkaProps) {
                return kafka;
            }
        });
        context.addComponent(PipelinedKafkaComponent.SCHEME, component);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:batch").routeId("batch-source")
                        .process(new RouteCall("direct:route", ExpressionBuilder.bodyExpression()))
                        .process(BatchDeadLetters.send("mock:dead-letters"));
                from("direct:retried-batch").routeId("retried-batch-source")
                        .errorHandler(defaultErrorHandler().maximumRedeliveries(1).redeliveryDelay(0))
                        .process(new RouteCall("direct:route", ExpressionBuilder.bodyExpression()));
                from("direct:route").routeId("route")
                        .to("mock:handled")
                        .filter(body().contains("downstream down")).throwException(new IllegalStateException("downstream down")).end()
                        .filter(exchange -> exchange.getMessage().getBody(String.class).equals("flaky")
                                && flakyFailures.getAndIncrement() == 0)
                            .throwException(new IllegalStateException("downstream down once")).end()
                        .choice().when(body().contains("own id")).setHeader("message-id", constant("chosen-by-route")).end()
                        .to("kafka:lines")
                        .to("kafka:lines");
            }
        });
        context.start();
        producer = context.createProducerTemplate();
    }

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void eachOutputGetsAnIdOfItsOwnAndTheBatchCompletesOnceKafkaAnsweredThemAll() throws Exception {
        CompletableFuture<Exchange> batch = send(input(1, "a"), input(2, "b"));

        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 4);
        assertThat(kafka.history()).extracting(record -> header(record, "message-id"))
                .containsExactly("m-1-0", "m-1-1", "m-2-0", "m-2-1");
        assertThat(kafka.history()).extracting(ProducerRecord::value).containsExactly("a", "a", "b", "b");
        assertThat(batch).isNotDone();

        IntStream.range(0, 3).forEach(i -> kafka.completeNext());
        assertThat(batch).as("one answer still missing").isNotDone();
        kafka.completeNext();
        Exchange done = batch.get(10, TimeUnit.SECONDS);
        assertThat(done.getException()).isNull();
        assertThat(done.getProperty(BridgeProperties.FORWARDED, Long.class)).isEqualTo(2);
        assertThat(outcome(done).missed()).isEmpty();
    }

    @Test
    void anIdTheRouteChoseStays() throws Exception {
        CompletableFuture<Exchange> batch = send(input(1, "own id"));
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 2);
        assertThat(kafka.history()).extracting(record -> header(record, "message-id"))
                .containsExactly("chosen-by-route", "chosen-by-route");
        kafka.completeNext();
        kafka.completeNext();
        assertThat(batch.get(10, TimeUnit.SECONDS).getException()).isNull();
    }

    @Test
    void aSendRefusedForGoodMakesItsInputADeadLetterOfTheRouteThatSentIt() throws Exception {
        MockEndpoint deadLetters = context.getEndpoint("mock:dead-letters", MockEndpoint.class);
        CompletableFuture<Exchange> batch = send(input(1, "a"), input(2, "too large"));
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 4);
        kafka.completeNext();
        kafka.completeNext();
        kafka.errorNext(new RecordTooLargeException("too large for the topic"));
        kafka.completeNext();

        Exchange done = batch.get(10, TimeUnit.SECONDS);
        assertThat(done.getException()).isNull();
        assertThat(done.getProperty(BridgeProperties.FORWARDED, Long.class)).isEqualTo(1);
        assertThat(deadLetters.getReceivedExchanges()).singleElement().satisfies(dead -> {
            assertThat(dead.getMessage().getBody(String.class)).isEqualTo("too large");
            assertThat(dead.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID)).isEqualTo("route");
            assertThat(dead.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT)).isInstanceOf(RecordTooLargeException.class);
        });
        // the dead letter is written before the batch completes, so both deliveries are done with
        assertThat(outcome(done).missed()).isEmpty();
        assertThat(outcome(done).reached()).containsExactly(1L);
    }

    @Test
    void aSendThatFailsOtherwiseFailsTheBatch() throws Exception {
        CompletableFuture<Exchange> batch = send(input(1, "a"));
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 2);
        kafka.completeNext();
        kafka.errorNext(new TimeoutException("Expiring 1 record(s)"));

        Exchange done = batch.get(10, TimeUnit.SECONDS);
        assertThat(done.getException()).isInstanceOf(OutputsNotConfirmedException.class)
                .hasMessageContaining("a record for Kafka topic lines was not confirmed (Expiring 1 record(s)); the batch is "
                        + "handled again from its first input not yet delivered")
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(outcome(done).reached()).isEmpty();
    }

    @Test
    void aFailedInputStopsTheBatchBeforeTheInputsAfterIt() throws Exception {
        CompletableFuture<Exchange> batch = send(input(1, "a"), input(2, "downstream down"), input(3, "c"));
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 2);
        kafka.completeNext();
        kafka.completeNext();

        Exchange done = batch.get(10, TimeUnit.SECONDS);
        assertThat(done.getException()).isInstanceOf(IllegalStateException.class)
                .hasMessage("input m-2 failed (downstream down); the batch is handled again from its first input not yet delivered")
                .hasNoCause();
        assertThat(kafka.history()).extracting(ProducerRecord::value).containsExactly("a", "a");
        // the first input reached Kafka and is acked; the others go back to the queue
        assertThat(outcome(done).reached()).containsExactly(1L);
        assertThat(done.getProperty(BridgeProperties.SETTLED_INPUTS, Integer.class)).isEqualTo(1);
    }

    @Test
    void aRetryHandsTheRouteOnlyTheInputsFromTheFirstOneNotYetDelivered() throws Exception {
        MockEndpoint handled = context.getEndpoint("mock:handled", MockEndpoint.class);
        // the second input's downstream is down on the first attempt only; the batch source retries at once
        CompletableFuture<Exchange> batch = producer.asyncSend("direct:retried-batch",
                exchange -> exchange.getMessage().setBody(List.of(input(1, "a"), input(2, "flaky"), input(3, "c"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 2);
        kafka.completeNext();
        kafka.completeNext();
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == 6);
        IntStream.range(0, 4).forEach(i -> kafka.completeNext());

        Exchange done = batch.get(10, TimeUnit.SECONDS);
        assertThat(done.getException()).isNull();
        assertThat(kafka.history()).extracting(ProducerRecord::value).containsExactly("a", "a", "flaky", "flaky", "c", "c");
        assertThat(kafka.history()).extracting(record -> header(record, "message-id"))
                .containsExactly("m-1-0", "m-1-1", "m-2-0", "m-2-1", "m-3-0", "m-3-1");
        assertThat(handled.getReceivedExchanges()).extracting(exchange -> exchange.getMessage().getBody(String.class))
                .as("the first input is not handed to the route again").containsExactly("a", "flaky", "flaky", "c");
        assertThat(done.getProperty(BridgeProperties.FORWARDED, Long.class)).as("the carried-over input counts").isEqualTo(3);
        assertThat(outcome(done).reached()).containsExactlyInAnyOrder(1L, 2L, 3L);
    }

    private CompletableFuture<Exchange> send(Message... inputs) {
        return producer.asyncSend("direct:batch", exchange -> exchange.getMessage().setBody(List.of(inputs)));
    }

    /** An input as a consumer gives it: a RabbitMQ delivery tag and a Kafka record's message-id header, for the test. */
    private Message input(int n, String body) {
        Message message = new DefaultMessage(context);
        message.setBody(body);
        message.setHeader(KafkaConstants.TOPIC, "orders");
        message.setHeader("message-id", ("m-" + n).getBytes(StandardCharsets.UTF_8));
        message.setHeader(SpringRabbitMQConstants.DELIVERY_TAG, (long) n);
        return message;
    }

    private static BatchOutcome outcome(Exchange batch) {
        return batch.getProperty(BridgeProperties.BATCH_OUTCOME, BatchOutcome.class);
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
