package io.messagebridge.outputs;

import java.util.Map;

import org.apache.camel.spi.annotations.Component;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaEndpoint;

/**
 * Camel's {@code kafka} component, with every option it has (the application registers it under that name), whose
 * producer does not wait for Kafka's answer when the exchange belongs to a batch of inputs ({@link RecordOutputs}):
 * the record is handed to the client and the batch waits for all its answers at its end ({@link BatchOutputs}).
 * Outside a batch, and with {@code synchronous=true}, it is camel-kafka's producer as it is.
 */
// Camel finds a component's option configurers by the name this annotation gives (it is not inherited)
@Component("kafka")
public final class PipelinedKafkaComponent extends KafkaComponent {

    public static final String SCHEME = "kafka";

    @Override
    protected KafkaEndpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        // camel-kafka makes and configures the endpoint; this one takes over its configuration
        KafkaEndpoint configured = super.createEndpoint(uri, remaining, parameters);
        PipelinedKafkaEndpoint endpoint = new PipelinedKafkaEndpoint(uri, this);
        endpoint.setConfiguration(configured.getConfiguration());
        endpoint.setKafkaClientFactory(configured.getKafkaClientFactory());
        endpoint.setKafkaManualCommitFactory(configured.getKafkaManualCommitFactory());
        endpoint.setBridgeErrorHandler(configured.isBridgeErrorHandler());
        endpoint.setExceptionHandler(configured.getExceptionHandler());
        endpoint.setExchangePattern(configured.getExchangePattern());
        endpoint.setLazyStartProducer(configured.isLazyStartProducer());
        return endpoint;
    }
}
