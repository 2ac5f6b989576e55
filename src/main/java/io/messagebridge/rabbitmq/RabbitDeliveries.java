package io.messagebridge.rabbitmq;

import java.util.List;

import io.messagebridge.core.BridgeHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.apache.camel.component.springrabbit.DefaultMessagePropertiesConverter;
import org.apache.camel.component.springrabbit.MessagePropertiesConverter;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.component.springrabbit.SpringRabbitMQHeaderFilterStrategy;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.support.ExpressionAdapter;

/**
 * The body of an exchange from a {@value BatchingRabbitContainerFactory#SCHEME} consumer: deliveries of one channel, in the
 * order RabbitMQ sent them.
 */
public record RabbitDeliveries(List<org.springframework.amqp.core.Message> messages) {

    private static final MessagePropertiesConverter STANDALONE = standaloneConverter();

    public long[] tags() {
        long[] tags = new long[messages.size()];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = messages.get(i).getMessageProperties().getDeliveryTag();
        }
        return tags;
    }

    /** For {@code split(...)}: each delivery of the batch as the spring-rabbitmq consumer would have given it. */
    public static Expression asMessages() {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange batch) {
                return batch.getMessage().getBody(RabbitDeliveries.class).messages().stream()
                        .map(delivery -> message(batch, delivery)).toList();
            }

            @Override
            public String toString() {
                return "rabbitDeliveries";
            }
        };
    }

    /** A delivery as the spring-rabbitmq consumer would have given it: body, and properties as Camel headers. */
    public static Message message(Exchange batch, org.springframework.amqp.core.Message delivery) {
        MessagePropertiesConverter converter = batch.getFromEndpoint() instanceof SpringRabbitMQEndpoint endpoint
                ? endpoint.getMessagePropertiesConverter() : STANDALONE;
        Message message = new DefaultMessage(batch);
        message.setBody(delivery.getBody());
        message.setHeaders(converter.fromMessageProperties(delivery.getMessageProperties(), batch));
        String id = BridgeHeaders.sourceMessageId(message);
        if (id != null) {
            message.setMessageId(id);
        }
        return message;
    }

    /** For a route under test, which consumes from direct: instead of RabbitMQ. */
    private static MessagePropertiesConverter standaloneConverter() {
        DefaultMessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();
        converter.setHeaderFilterStrategy(new SpringRabbitMQHeaderFilterStrategy());
        return converter;
    }
}
