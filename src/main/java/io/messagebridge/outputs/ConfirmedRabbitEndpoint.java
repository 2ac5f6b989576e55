package io.messagebridge.outputs;

import org.apache.camel.Producer;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;

/** A spring-rabbitmq endpoint whose producer is {@link ConfirmedRabbitProducer}. */
public final class ConfirmedRabbitEndpoint extends SpringRabbitMQEndpoint {

    ConfirmedRabbitEndpoint(String uri, ConfirmedRabbitComponent component, String exchangeName) {
        super(uri, component, exchangeName);
    }

    @Override
    public Producer createProducer() {
        return new ConfirmedRabbitProducer(this, ((ConfirmedRabbitComponent) getComponent()).channels());
    }
}
