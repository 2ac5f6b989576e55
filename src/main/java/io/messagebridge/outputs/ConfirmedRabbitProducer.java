package io.messagebridge.outputs;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import io.messagebridge.core.BridgeHeaders;
import io.messagebridge.outputs.OutgoingRabbitMessage.ExchangeDeclaration;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.component.springrabbit.SpringRabbitMQHelper;
import org.apache.camel.component.springrabbit.SpringRabbitMQProducer;
import org.apache.camel.support.ExchangeHelper;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Publishes an exchange the way camel-spring-rabbitmq would (exchange and routing key from the endpoint or the
 * override headers, body and properties through the endpoint's converters), but mandatory, on a
 * {@link ConfirmChannel}: outside a batch it waits for the publisher confirm and fails with
 * {@link io.messagebridge.failures.UnroutableMessageException} if RabbitMQ returned the message; in a batch of inputs
 * ({@link RecordOutputs}) it goes on at once and the batch waits for all confirms at its end. A {@code message-id}
 * header (a Kafka record's) becomes the AMQP message-id unless the route set one; in a batch the input's id gives way
 * to the output's own, {@code <input id>-<n>}. Request-reply (InOut) is camel-spring-rabbitmq's.
 */
final class ConfirmedRabbitProducer extends SpringRabbitMQProducer {

    private static final MessagePropertiesConverter AMQP_PROPERTIES = new DefaultMessagePropertiesConverter();

    private final ConfirmChannels channels;
    /** The exchange to declare on a channel's first publish (autoDeclareProducer), or null. */
    private final ExchangeDeclaration declaration;

    ConfirmedRabbitProducer(SpringRabbitMQEndpoint endpoint, ConfirmChannels channels) {
        super(endpoint);
        this.channels = channels;
        this.declaration = endpoint.isAutoDeclareProducer() ? declaration(endpoint) : null;
    }

    @Override
    protected void doStart() {
        // nothing is declared up front (camel-spring-rabbitmq would declare a generated queue for autoDeclareProducer):
        // the exchange is declared when a channel first publishes to it
    }

    @Override
    protected boolean processInOnly(Exchange exchange, AsyncCallback callback) {
        try {
            OutgoingRabbitMessage message = message(exchange);
            RecordOutputs outputs = RecordOutputs.of(exchange);
            if (outputs == null) {
                channels.publishConfirmed(message, confirmTimeout());
            } else {
                outputs.batch().sendToRabbitMq(outputs, ExchangeHelper.getAtRouteId(exchange), channels,
                        identified(message, outputs), confirmTimeout());
            }
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    private OutgoingRabbitMessage message(Exchange exchange) {
        SpringRabbitMQEndpoint endpoint = getEndpoint();
        String exchangeName = removeHeader(exchange, SpringRabbitMQConstants.EXCHANGE_OVERRIDE_NAME, endpoint.getExchangeName());
        if (SpringRabbitMQHelper.isDefaultExchange(exchangeName)) {
            exchangeName = "";
        }
        String routingKey = removeHeader(exchange, SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, endpoint.getRoutingKey());
        Object body = exchange.getMessage().getBody();
        Message message = body instanceof Message ready ? ready : endpoint.getMessageConverter().toMessage(body,
                endpoint.getMessagePropertiesConverter().toMessageProperties(exchange));
        MessageProperties properties = message.getMessageProperties();
        Object headerId = properties.getHeaders().remove(BridgeHeaders.MESSAGE_ID);
        if (properties.getMessageId() == null && headerId != null) {
            properties.setMessageId(headerId instanceof byte[] bytes
                    ? new String(bytes, StandardCharsets.UTF_8) : headerId.toString());
        }
        AMQP.BasicProperties amqp = AMQP_PROPERTIES.fromMessageProperties(properties, "UTF-8");
        return new OutgoingRabbitMessage(exchangeName, routingKey == null ? "" : routingKey, amqp, message.getBody(),
                declaration);
    }

    /** The message with the AMQP message-id {@link RecordOutputs#nextOutputId} gives it. */
    private static OutgoingRabbitMessage identified(OutgoingRabbitMessage message, RecordOutputs outputs) {
        String current = message.properties().getMessageId();
        String outputId = outputs.nextOutputId(current);
        if (outputId == null || outputId.equals(current)) {
            return message;
        }
        return new OutgoingRabbitMessage(message.exchange(), message.routingKey(),
                message.properties().builder().messageId(outputId).build(), message.body(), message.declaration());
    }

    private static ExchangeDeclaration declaration(SpringRabbitMQEndpoint endpoint) {
        Map<String, Object> arguments = new HashMap<>(endpoint.getExchangeArgs());
        boolean durable = !"false".equalsIgnoreCase(String.valueOf(arguments.remove("durable")));
        boolean autoDelete = "true".equalsIgnoreCase(String.valueOf(arguments.remove("autoDelete")));
        return new ExchangeDeclaration(endpoint.getExchangeType(), durable, autoDelete, arguments);
    }

    private long confirmTimeout() {
        return getEndpoint().getConfirmTimeout() <= 0 ? Long.MAX_VALUE : getEndpoint().getConfirmTimeout();
    }

    private static String removeHeader(Exchange exchange, String name, String otherwise) {
        Object value = exchange.getMessage().removeHeader(name);
        return value == null ? otherwise : value.toString();
    }
}
