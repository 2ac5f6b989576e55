package io.messagebridge.outputs;

import java.util.HashMap;
import java.util.Map;

import io.messagebridge.core.BridgeHeaders;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.component.springrabbit.SpringRabbitMQHeaderFilterStrategy;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.util.PropertiesHelper;

/**
 * Camel's {@code spring-rabbitmq} component, with every option it has (the application registers it under that name),
 * whose producer publishes every message mandatory with a publisher confirm on the application's confirm channels
 * ({@link ConfirmedRabbitProducer}): a message no queue takes is an {@link io.messagebridge.failures.UnroutableMessageException},
 * never dropped. Its producers declare exchanges only ({@code autoDeclareProducer}), never a queue. Consumers are
 * Camel's own. {@code confirm=disabled} is refused; {@code kafka.*} headers (a Kafka record's metadata) stay behind.
 */
// Camel finds a component's option configurers by the name this annotation gives (it is not inherited)
@Component("spring-rabbitmq")
public final class ConfirmedRabbitComponent extends SpringRabbitMQComponent {

    public static final String SCHEME = "spring-rabbitmq";

    private final ConfirmChannels channels;

    public ConfirmedRabbitComponent(ConfirmChannels channels) {
        this.channels = channels;
        setHeaderFilterStrategy(new SpringRabbitMQHeaderFilterStrategy() {
            @Override
            protected boolean extendedFilter(Direction direction, String key, Object value, Exchange exchange) {
                return direction == Direction.OUT && BridgeHeaders.isInternal(key);
            }
        });
    }

    ConfirmChannels channels() {
        return channels;
    }

    /** As camel-spring-rabbitmq's own, but the endpoint is {@link ConfirmedRabbitEndpoint}. */
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SpringRabbitMQEndpoint endpoint = new ConfirmedRabbitEndpoint(uri, this, remaining);
        endpoint.setConnectionFactory(getConnectionFactory());
        endpoint.setTestConnectionOnStartup(isTestConnectionOnStartup());
        endpoint.setMessageConverter(getMessageConverter());
        getMessagePropertiesConverter().setHeaderFilterStrategy(getHeaderFilterStrategy());
        endpoint.setMessagePropertiesConverter(getMessagePropertiesConverter());
        endpoint.setAutoStartup(isAutoStartup());
        endpoint.setAutoDeclare(isAutoDeclare());
        endpoint.setAutoDeclareProducer(isAutoDeclareProducer());
        endpoint.setDeadLetterExchange(getDeadLetterExchange());
        endpoint.setDeadLetterExchangeType(getDeadLetterExchangeType());
        endpoint.setDeadLetterQueue(getDeadLetterQueue());
        endpoint.setDeadLetterRoutingKey(getDeadLetterRoutingKey());
        endpoint.setReplyTimeout(getReplyTimeout());
        endpoint.setPrefetchCount(getPrefetchCount());
        endpoint.setMessageListenerContainerType(getMessageListenerContainerType());
        endpoint.setConcurrentConsumers(getConcurrentConsumers());
        endpoint.setMaxConcurrentConsumers(getMaxConcurrentConsumers());
        endpoint.setRetry(getRetry());
        endpoint.setMaximumRetryAttempts(getMaximumRetryAttempts());
        endpoint.setRetryDelay(getRetryDelay());
        endpoint.setRejectAndDontRequeue(isRejectAndDontRequeue());
        endpoint.setAllowNullBody(isAllowNullBody());
        Map<String, Object> args = getArgs() == null ? new HashMap<>() : new HashMap<>(getArgs());
        args.putAll(PropertiesHelper.extractProperties(parameters, SpringRabbitMQEndpoint.ARG_PREFIX));
        endpoint.setArgs(args);
        setProperties(endpoint, parameters);
        if ("disabled".equalsIgnoreCase(endpoint.getConfirm())) {
            throw new IllegalArgumentException(uri + ": every RabbitMQ write of this application waits for its "
                    + "publisher confirm; remove confirm=disabled");
        }
        return endpoint;
    }
}
