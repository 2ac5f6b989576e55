package io.messagebridge.outputs;

import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.KafkaProducer;

/** A camel-kafka endpoint whose producer joins the batch of the exchange it sends ({@link PipelinedKafkaProducer}). */
public final class PipelinedKafkaEndpoint extends KafkaEndpoint {

    PipelinedKafkaEndpoint(String uri, PipelinedKafkaComponent component) {
        super(uri, component);
    }

    @Override
    protected KafkaProducer createProducer(KafkaEndpoint endpoint) {
        return new PipelinedKafkaProducer(endpoint);
    }
}
