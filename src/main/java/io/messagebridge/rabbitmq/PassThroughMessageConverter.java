package io.messagebridge.rabbitmq;

import org.apache.camel.CamelContext;
import org.apache.camel.component.springrabbit.DefaultMessageConverter;
import org.springframework.amqp.core.Message;

/**
 * Hands every RabbitMQ body to Camel as the bytes that arrived. Camel's default decodes {@code text/*} bodies with
 * their declared charset, which would alter a body that is not valid in it before it reaches Kafka or a dead-letter
 * queue. Routes that want text still get it through Camel's type converters. A batch of deliveries (the
 * {@value BatchingRabbitContainerFactory#SCHEME} component) becomes a {@link RabbitDeliveries} body.
 */
public class PassThroughMessageConverter extends DefaultMessageConverter {

    public PassThroughMessageConverter(CamelContext camelContext) {
        super(camelContext);
    }

    @Override
    public Object fromMessage(Message message) {
        return message instanceof BatchingRabbitContainerFactory.Batch batch ? batch.deliveries() : message.getBody();
    }
}
