package io.messagebridge.tokafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.messagebridge.dedup.Deduplication;
import io.messagebridge.failures.BatchDeadLetters;
import io.messagebridge.torabbitmq.KafkaRecordsToAmqp;
import io.messagebridge.torabbitmq.OutgoingAmqpMessage;
import io.messagebridge.torabbitmq.PendingPublishes;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.springrabbit.DefaultMessagePropertiesConverter;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQHeaderFilterStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;

/** AMQP properties and headers to Kafka headers, and Kafka records to AMQP messages. */
class HeaderMappingTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void amqpPropertiesAndHeadersBecomeStringKafkaHeaders() throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeaders(Map.of(
                SpringRabbitMQConstants.MESSAGE_ID, "m-1",
                SpringRabbitMQConstants.CORRELATION_ID, "c-1",
                SpringRabbitMQConstants.CONTENT_TYPE, "application/json",
                SpringRabbitMQConstants.TIMESTAMP, new Date(1_700_000_000_123L),
                SpringRabbitMQConstants.ROUTING_KEY, "order.created",
                SpringRabbitMQConstants.DELIVERY_TAG, 7L,
                "attempt", 3,
                "flag", true,
                "raw", "bytes".getBytes(StandardCharsets.UTF_8)));

        new AmqpToKafkaHeaders().process(exchange);

        assertThat(exchange.getMessage().getHeaders())
                .containsEntry("message-id", "m-1")
                .containsEntry("correlation-id", "c-1")
                .containsEntry("content-type", "application/json")
                .containsEntry("timestamp", "1700000000123")
                .containsEntry("rabbitmq-routing-key", "order.created")
                .containsEntry("attempt", "3")
                .containsEntry("flag", "true")
                .containsEntry("raw", "bytes")
                .containsEntry(SpringRabbitMQConstants.DELIVERY_TAG, 7L);
    }

    @Test
    void aBatchedDeliveryGetsTheHeadersItWouldGetOnItsOwn() {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId("m-1");
        properties.setCorrelationId("c-1");
        properties.setContentType("application/json");
        properties.setTimestamp(new Date(1_700_000_000_123L));
        properties.setReceivedExchange("orders");
        properties.setReceivedRoutingKey("order.created");
        properties.setDeliveryTag(7);
        properties.setHeader("attempt", 3);
        properties.setHeader("raw", "bytes".getBytes(StandardCharsets.UTF_8));
        properties.setHeader("CamelOwn", "dropped");
        properties.setHeader("kafka.OVERRIDE_TOPIC", "dropped");
        // a publisher's header named like one made from an AMQP property: the property wins, one header remains
        properties.setHeader("Message-ID", "spoofed");
        SpringRabbitMQHeaderFilterStrategy inbound = new SpringRabbitMQHeaderFilterStrategy();
        DefaultMessagePropertiesConverter consumer = new DefaultMessagePropertiesConverter();
        consumer.setHeaderFilterStrategy(inbound);
        Exchange exchange = new DefaultExchange(context);

        Headers record = AmqpToKafkaHeaders.recordHeaders(properties, inbound, exchange);
        Map<String, Object> batched = new LinkedHashMap<>();
        record.forEach(header -> batched.put(header.key(), new String(header.value(), StandardCharsets.UTF_8)));

        assertThat(record.toArray()).as("no name twice").hasSameSizeAs(batched.keySet());
        assertThat(batched)
                .isEqualTo(AmqpToKafkaHeaders.kafkaHeaders(consumer.fromMessageProperties(properties, exchange)))
                .containsOnlyKeys("message-id", "correlation-id", "content-type", "timestamp", "rabbitmq-exchange",
                        "rabbitmq-routing-key", "attempt", "raw")
                .containsEntry("message-id", "m-1")
                .containsEntry("timestamp", "1700000000123")
                .containsEntry("raw", "bytes");
    }

    @Test
    void aKafkaRecordBecomesAPersistentAmqpMessage() throws Exception {
        Exchange record = new DefaultExchange(context);
        record.getMessage().setBody("{\"status\":\"Shipped\"}".getBytes(StandardCharsets.UTF_8));
        record.getMessage().setHeaders(Map.of(
                KafkaConstants.KEY, "o-1",
                KafkaConstants.TOPIC, "shipments",
                KafkaConstants.TIMESTAMP, 1_700_000_000_000L,
                "message-id", "evt-1".getBytes(StandardCharsets.UTF_8),
                "trace-id", "t-1".getBytes(StandardCharsets.UTF_8)));
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(List.of(record));

        context.getPropertiesComponent().addInitialProperty("bridge.dedup.enabled", "false");
        new KafkaRecordsToAmqp("notifications", "shipment.<status>", Deduplication.from(context)).process(exchange);

        assertThat(PendingPublishes.messages(exchange)).singleElement().extracting(OutgoingAmqpMessage::message).satisfies(message -> {
            assertThat(message.exchange()).isEqualTo("notifications");
            assertThat(message.routingKey()).isEqualTo("shipment.shipped");
            assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"Shipped\"}");
            assertThat(message.properties().getDeliveryMode()).isEqualTo(2);
            assertThat(message.properties().getCorrelationId()).isEqualTo("o-1");
            assertThat(message.properties().getMessageId()).isEqualTo("evt-1");
            assertThat(message.properties().getContentType()).isEqualTo("application/json");
            assertThat(message.properties().getTimestamp()).isEqualTo(new Date(1_700_000_000_000L));
            assertThat(message.properties().getHeaders()).containsExactly(Map.entry("trace-id", "t-1"));
        });
    }

    @Test
    void aRecordWithoutItsRoutingKeyFieldIsDeadLetteredAndTheRestOfTheBatchGoesOn() throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(List.of(
                kafkaRecord("{\"status\":\"packed\"}"), kafkaRecord("{\"state\":\"lost\"}"), kafkaRecord("{\"status\":\"sent\"}")));

        context.getPropertiesComponent().addInitialProperty("bridge.dedup.enabled", "false");
        new KafkaRecordsToAmqp("notifications", "shipment.<status>", Deduplication.from(context)).process(exchange);

        assertThat(PendingPublishes.messages(exchange)).extracting(outgoing -> outgoing.message().routingKey())
                .containsExactly("shipment.packed", "shipment.sent");
        context.start();
        BatchDeadLetters.send("mock:dead-letters").process(exchange);
        assertThat(context.getEndpoint("mock:dead-letters", MockEndpoint.class).getReceivedExchanges())
                .singleElement().satisfies(deadLetter -> {
                    assertThat(deadLetter.getMessage().getBody(String.class)).isEqualTo("{\"state\":\"lost\"}");
                    assertThat(deadLetter.getMessage().getHeader(KafkaConstants.TOPIC)).isEqualTo("shipments");
                    assertThat(deadLetter.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Exception.class))
                            .hasMessageContaining("status");
                });
    }

    private Exchange kafkaRecord(String body) {
        Exchange record = new DefaultExchange(context);
        record.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        record.getMessage().setHeader(KafkaConstants.TOPIC, "shipments");
        return record;
    }
}
