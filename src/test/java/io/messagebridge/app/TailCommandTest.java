package io.messagebridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import io.messagebridge.cli.UsageException;
import io.messagebridge.app.TailCommand.FromExchange;
import io.messagebridge.app.TailCommand.FromTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TailCommandTest {

    @Test
    void aTopicFromItsEndOrItsBeginning() {
        assertThat(TailCommand.parse(List.of("topic", "orders"))).isEqualTo(new FromTopic("orders", false));
        assertThat(TailCommand.parse(List.of("topic", "--from-beginning", "orders"))).isEqualTo(new FromTopic("orders", true));
    }

    @Test
    void anExchangeWithOneBindingKeyOrMore() {
        assertThat(TailCommand.parse(List.of("exchange", "notifications", "#")))
                .isEqualTo(new FromExchange("notifications", List.of("#")));
        assertThat(TailCommand.parse(List.of("exchange", "notifications", "shipment.*", "order.cancelled.#")))
                .isEqualTo(new FromExchange("notifications", List.of("shipment.*", "order.cancelled.#")));
    }

    @Test
    void aBadUseSaysWhatIsWrong() {
        assertThatThrownBy(() -> TailCommand.parse(List.of("exchange", "notifications")))
                .isInstanceOf(UsageException.class).hasMessage("missing <binding key>");
        assertThatThrownBy(() -> TailCommand.parse(List.of("topic", "orders", "shipments")))
                .hasMessage("unexpected argument 'shipments'");
        assertThatThrownBy(() -> TailCommand.parse(List.of("exchange", "notifications", "#", "--from-beginning")))
                .hasMessage("unknown option --from-beginning");
        assertThatThrownBy(() -> TailCommand.parse(List.of("queue", "orders"))).hasMessage("expected exchange|topic, not 'queue'");
    }

    @Test
    void aRecordIsWhereItIsItsKeyAndHeadersThenItsValue() {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("orders", 2, 17, "o-1", bytes("{\"orderId\":\"o-1\"}"));
        record.headers().add("message-id", bytes("m-1")).add("rabbitmq-routing-key", bytes("order.created.eu"));
        assertThat(TailCommand.describe(record)).isEqualTo(
                "topic=orders partition=2 offset=17 key=o-1 headers={message-id=m-1, rabbitmq-routing-key=order.created.eu}"
                        + System.lineSeparator() + "{\"orderId\":\"o-1\"}");

        assertThat(TailCommand.describe(new ConsumerRecord<>("orders", 0, 3, null, null)))
                .isEqualTo("topic=orders partition=0 offset=3" + System.lineSeparator() + "(no value)");
    }

    @Test
    void aDeliveryIsWhereItWasRoutedItsPropertiesAndHeadersThenItsBody() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("x-tenant", "acme");
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId("m-2").correlationId("s-9")
                .contentType("application/json").headers(headers).build();
        Delivery delivery = new Delivery(new Envelope(1, false, "notifications", "shipment.shipped"), properties,
                bytes("{\"shipmentId\":\"s-9\"}"));
        assertThat(TailCommand.describe(delivery)).isEqualTo("exchange=notifications routing-key=shipment.shipped"
                + " message-id=m-2 correlation-id=s-9 content-type=application/json headers={x-tenant=acme}"
                + System.lineSeparator() + "{\"shipmentId\":\"s-9\"}");

        Delivery bare = new Delivery(new Envelope(2, false, "notifications", "k"), new AMQP.BasicProperties(), bytes("x"));
        assertThat(TailCommand.describe(bare)).isEqualTo("exchange=notifications routing-key=k" + System.lineSeparator() + "x");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
