package io.messagebridge.tokafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import io.messagebridge.core.BatchOutcome;
import io.messagebridge.core.BridgeProperties;
import io.messagebridge.dedup.Deduplication;
import io.messagebridge.failures.BatchDeadLetters;
import io.messagebridge.mapping.InvalidMessageException;
import io.messagebridge.rabbitmq.RabbitDeliveries;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;

/** A batch of RabbitMQ deliveries becomes Kafka records; a bad delivery is set aside, never the batch. */
class RabbitDeliveriesToKafkaTest {

    private final DefaultCamelContext context = new DefaultCamelContext();
    private RabbitDeliveriesToKafka records;

    @BeforeEach
    void start() throws Exception {
        Properties settings = new Properties();
        settings.put("bridge.dedup.enabled", "false");
        context.getPropertiesComponent().setInitialProperties(settings);
        context.start();
        records = new RabbitDeliveriesToKafka("orderId", Deduplication.from(context));
    }

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void eachGoodDeliveryBecomesARecordAndABadOneADeadLetterWithItsReason() throws Exception {
        Exchange batch = mapped(
                delivery(1, "m-1", "{\"orderId\":\"o-1\"}"),
                delivery(2, "m-2", "not json"),
                delivery(3, "m-3", "{\"orderId\":7}"));

        List<KafkaRecordBatch.Record> sent = records(batch);
        assertThat(sent).extracting(KafkaRecordBatch.Record::key).containsExactly("o-1", "7");
        assertThat(sent).extracting(record -> text(record.headers().lastHeader("message-id").value()))
                .containsExactly("m-1", "m-3");
        assertThat(sent).extracting(record -> text(record.value()))
                .containsExactly("{\"orderId\":\"o-1\"}", "{\"orderId\":7}");
        assertThat(batch.getProperty(BridgeProperties.FORWARDED, Integer.class)).isEqualTo(2);

        MockEndpoint deadLetters = context.getEndpoint("mock:dead-letters", MockEndpoint.class);
        BatchDeadLetters.send("mock:dead-letters").process(batch);
        assertThat(deadLetters.getReceivedExchanges()).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.getMessage().getBody(String.class)).isEqualTo("not json");
            assertThat(deadLetter.getMessage().getHeader(SpringRabbitMQConstants.MESSAGE_ID)).isEqualTo("m-2");
            assertThat(deadLetter.getMessage().getMessageId()).isEqualTo("m-2");
            assertThat(deadLetter.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Exception.class))
                    .isInstanceOf(InvalidMessageException.class).hasMessageContaining("not valid JSON");
        });
        BatchDeadLetters.send("mock:dead-letters").process(batch);
        assertThat(deadLetters.getReceivedExchanges()).as("written once").hasSize(1);
    }

    @Test
    void aRetrySendsOnlyWhatKafkaHasNotAcknowledgedAndARefusedRecordIsDeadLetteredAlone() throws Exception {
        Exchange batch = mapped(
                delivery(4, "m-4", "{\"orderId\":\"o-4\"}"),
                delivery(5, "m-5", "{\"orderId\":\"o-5\"}"),
                delivery(6, "m-6", "{\"orderId\":\"o-6\"}"));
        KafkaRecordBatch body = batch.getMessage().getBody(KafkaRecordBatch.class);
        List<KafkaRecordBatch.Record> all = records(batch);
        // what Kafka answers to the first send
        answer(all.get(0), metadata(41), null);
        answer(all.get(1), metadata(-1), new RecordTooLargeException("too large"));
        answer(all.get(2), metadata(-1), new TimeoutException("no leader"));

        assertThat(body.unacknowledged()).as("what a retry sends").containsExactly(all.get(1), all.get(2));
        assertThat(body.failure()).as("retried, not dead-lettered, while a record may yet arrive")
                .isInstanceOf(TimeoutException.class);
        assertThat(batch.getProperty(BridgeProperties.BATCH_OUTCOME, BatchOutcome.class))
                .isSameAs(body);
        assertThat(body.reached()).as("acked if the batch fails for good now").containsExactly(4L);

        // the retry: only the refusal is left, the route's handler for permanent failures runs
        answer(all.get(1), metadata(-1), new RecordTooLargeException("too large"));
        answer(all.get(2), metadata(42), null);
        assertThat(body.failure()).isInstanceOf(RecordTooLargeException.class);
        KafkaRecordBatch.deadLetterRefused("mock:dead-letters").process(batch);
        assertThat(context.getEndpoint("mock:dead-letters", MockEndpoint.class).getReceivedExchanges())
                .singleElement().satisfies(deadLetter -> {
                    assertThat(deadLetter.getMessage().getBody(String.class)).isEqualTo("{\"orderId\":\"o-5\"}");
                    assertThat(deadLetter.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Exception.class))
                            .isInstanceOf(RecordTooLargeException.class);
                });
        assertThat(body.reached()).containsExactlyInAnyOrder(4L, 6L);
        assertThat(body.missed()).as("nothing requeued: delivered or dead-lettered").isEmpty();
        assertThat(batch.getProperty(BridgeProperties.FORWARDED, Integer.class)).isEqualTo(2);
    }

    @Test
    void aLateOrSecondAnswerToASendDoesNotCount() throws Exception {
        KafkaRecordBatch.Record record = records(mapped(delivery(7, "m-7", "{\"orderId\":\"o-7\"}"))).get(0);

        int first = record.sending();
        assertThat(record.answered(first, metadata(-1), new TimeoutException("no leader"))).isTrue();
        assertThat(record.answered(first, metadata(-1), new TimeoutException("aborted"))).as("second answer").isFalse();
        int retry = record.sending();
        assertThat(record.answered(first, metadata(43), null)).as("answer to the earlier send").isFalse();
        assertThat(record.acknowledged()).isFalse();
        assertThat(record.answered(retry, metadata(44), null)).isTrue();
        assertThat(record.acknowledged()).isTrue();
    }

    @Test
    void deduplicationReadsTheRecordAsAMessageAndDropsWhatWasDeliveredBefore() throws Exception {
        try (DefaultCamelContext dedupContext = new DefaultCamelContext()) {
            Properties settings = new Properties();
            settings.put("bridge.dedup.enabled", "true");
            settings.put("bridge.dedup.repository", "memory");
            settings.put("bridge.dedup.memory-size", "100");
            // the key, not a header: the expression sees what a record exchange has, body and kafka.KEY included
            settings.put("bridge.dedup.id-expression", "${header[kafka.KEY]}");
            dedupContext.getPropertiesComponent().setInitialProperties(settings);
            dedupContext.start();
            Deduplication dedup = Deduplication.from(dedupContext);
            RabbitDeliveriesToKafka withDedup = new RabbitDeliveriesToKafka("orderId", dedup);

            Exchange first = mapped(dedupContext, withDedup, delivery(1, "m-1", "{\"orderId\":\"o-1\"}"));
            answer(records(first).get(0), metadata(1), null);
            dedup.rememberAll(KafkaRecordBatch::deliveredMessages).process(first);

            Exchange again = mapped(dedupContext, withDedup,
                    delivery(2, "m-2", "{\"orderId\":\"o-1\"}"), delivery(3, "m-3", "{\"orderId\":\"o-2\"}"));
            assertThat(records(again)).extracting(KafkaRecordBatch.Record::key).containsExactly("o-2");
            assertThat(again.getProperty(BridgeProperties.FORWARDED, Integer.class)).isEqualTo(1);
        }
    }

    /** Kafka's answer to a send of the record. */
    private static void answer(KafkaRecordBatch.Record record, RecordMetadata metadata, Exception failure) {
        record.answered(record.sending(), metadata, failure);
    }

    private static List<KafkaRecordBatch.Record> records(Exchange batch) {
        return batch.getMessage().getBody(KafkaRecordBatch.class).records();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A batch exchange of these deliveries, after the mapping step. */
    private Exchange mapped(org.springframework.amqp.core.Message... deliveries) throws Exception {
        return mapped(context, records, deliveries);
    }

    private static Exchange mapped(CamelContext context, RabbitDeliveriesToKafka mapper,
                                   org.springframework.amqp.core.Message... deliveries) throws Exception {
        Exchange batch = new DefaultExchange(context);
        batch.getMessage().setBody(new RabbitDeliveries(List.of(deliveries)));
        mapper.process(batch);
        return batch;
    }

    private static org.springframework.amqp.core.Message delivery(long tag, String messageId, String body) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryTag(tag);
        properties.setMessageId(messageId);
        properties.setReceivedRoutingKey("order.created");
        return new org.springframework.amqp.core.Message(body.getBytes(StandardCharsets.UTF_8), properties);
    }

    private static RecordMetadata metadata(long offset) {
        return new RecordMetadata(new TopicPartition("orders", 0), offset, 0, 0L, 3, 16);
    }
}
