package io.messagebridge.tokafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;

/**
 * What a kafka-batch endpoint hands Kafka's client and when its exchange completes. Kafka's own MockProducer stands in
 * for the client here, which lets the test answer each record in turn; OrdersToKafkaIT and PoisonMessagesIT send
 * through a real broker.
 */
class KafkaBatchComponentTest {

    private final MockProducer<String, byte[]> kafka =
            new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());
    private final DefaultCamelContext context = new DefaultCamelContext();
    private ProducerTemplate producer;

    @BeforeEach
    void start() {
        KafkaComponent component = context.getComponent("kafka", KafkaComponent.class);
        component.getConfiguration().setBrokers("localhost:9092");
        // as application.properties has it: the values are the RabbitMQ messages' bytes
        component.getConfiguration().setValueSerializer(ByteArraySerializer.class.getName());
        component.setKafkaClientFactory(new DefaultKafkaClientFactory() {
            @Override
            public Producer getProducer(Properties kafkaProps) {
                return kafka;
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
    void eachRecordGoesToTheTopicAndTheBatchCompletesOnceKafkaAnsweredThemAll() throws Exception {
        KafkaRecordBatch batch = batch("o-1", "o-2", "o-3");

        CompletableFuture<Exchange> sent = send(batch);
        assertThat(kafka.history()).extracting(ProducerRecord::topic, ProducerRecord::key)
                .containsExactly(tuple("orders", "o-1"), tuple("orders", "o-2"), tuple("orders", "o-3"));
        assertThat(kafka.history().get(0).value()).asString(StandardCharsets.UTF_8).isEqualTo("{\"orderId\":\"o-1\"}");
        assertThat(kafka.history().get(0).headers().lastHeader("message-id").value())
                .asString(StandardCharsets.UTF_8).isEqualTo("m-o-1");

        kafka.completeNext();
        kafka.completeNext();
        assertThat(sent).as("one record unanswered").isNotDone();
        kafka.completeNext();

        Exchange done = sent.get(10, TimeUnit.SECONDS);
        assertThat(done.getException()).isNull();
        assertThat(batch.reached()).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(batch.unacknowledged()).isEmpty();
    }

    @Test
    void aFailedRecordFailsTheBatchAndTheRetrySendsOnlyThatRecord() throws Exception {
        KafkaRecordBatch batch = batch("o-1", "o-2", "o-3");

        CompletableFuture<Exchange> first = send(batch);
        kafka.completeNext();
        kafka.errorNext(new TimeoutException("no leader"));
        kafka.completeNext();
        assertThat(first.get(10, TimeUnit.SECONDS).getException()).isInstanceOf(TimeoutException.class);
        assertThat(batch.reached()).containsExactlyInAnyOrder(1L, 3L);

        kafka.clear();
        CompletableFuture<Exchange> retry = send(batch);
        assertThat(kafka.history()).extracting(ProducerRecord::key).containsExactly("o-2");
        kafka.completeNext();
        assertThat(retry.get(10, TimeUnit.SECONDS).getException()).isNull();
        assertThat(batch.reached()).containsExactlyInAnyOrder(1L, 2L, 3L);
    }

    @Test
    void aTransientFailureIsTheBatchsReasonOverARefusalSoThatTheBatchIsRetried() throws Exception {
        CompletableFuture<Exchange> sent = send(batch("o-1", "o-2", "o-3"));
        kafka.errorNext(new RecordTooLargeException("too large"));
        kafka.errorNext(new TimeoutException("no leader"));
        kafka.completeNext();

        assertThat(sent.get(10, TimeUnit.SECONDS).getException()).isInstanceOf(TimeoutException.class);
    }

    @Test
    void aSendTheClientRefusesAtOnceFailsTheBatchWithoutWaiting() {
        kafka.sendException = new KafkaException("producer closed");
        KafkaRecordBatch batch = batch("o-1", "o-2");
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(batch);

        producer.send("kafka-batch:orders", exchange);

        assertThat(exchange.getException()).isInstanceOf(KafkaException.class).hasMessage("producer closed");
        assertThat(batch.unacknowledged()).hasSize(2);
        assertThat(batch.reached()).isEmpty();
    }

    @Test
    void camelKafkasPerMessageOptionsAreRefusedWhenTheRouteIsMade() {
        assertThatThrownBy(() -> context.getEndpoint("kafka-batch:orders?key=fixed"))
                .hasStackTraceContaining("remove key and partitionKey");
        assertThatThrownBy(() -> context.getEndpoint("kafka-batch:orders?transacted=true"))
                .hasStackTraceContaining("without transactions");
        assertThatThrownBy(() -> context.getEndpoint("kafka-batch:orders?lingerMz=5"))
                .as("camel-kafka checks its own options").hasStackTraceContaining("lingerMz");
    }

    @Test
    void anEmptyBatchCompletesAtOnce() throws Exception {
        Exchange done = send(new KafkaRecordBatch(List.of())).get(10, TimeUnit.SECONDS);

        assertThat(done.getException()).isNull();
        assertThat(kafka.history()).isEmpty();
    }

    /** Sends the batch on another thread; returns once its records are with the client. */
    private CompletableFuture<Exchange> send(KafkaRecordBatch batch) {
        int before = kafka.history().size();
        int records = batch.unacknowledged().size();
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(batch);
        CompletableFuture<Exchange> sent = producer.asyncSend("kafka-batch:orders", exchange);
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() == before + records);
        return sent;
    }

    /** Records keyed by order id, from deliveries tagged 1, 2, 3... */
    private static KafkaRecordBatch batch(String... orderIds) {
        List<KafkaRecordBatch.Record> records = new ArrayList<>();
        for (String orderId : orderIds) {
            MessageProperties properties = new MessageProperties();
            properties.setDeliveryTag(records.size() + 1);
            org.springframework.amqp.core.Message delivery = new org.springframework.amqp.core.Message(
                    ("{\"orderId\":\"" + orderId + "\"}").getBytes(StandardCharsets.UTF_8), properties);
            RecordHeaders headers = new RecordHeaders();
            headers.add("message-id", ("m-" + orderId).getBytes(StandardCharsets.UTF_8));
            records.add(new KafkaRecordBatch.Record(delivery, orderId, headers, null));
        }
        return new KafkaRecordBatch(records);
    }
}
