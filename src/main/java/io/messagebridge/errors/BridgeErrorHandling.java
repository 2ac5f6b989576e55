package io.messagebridge.errors;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;

/**
 * The error policy every bridge route shares (Java DSL and YAML alike, through {@code routeConfigurationId: bridge}):
 * permanent failures go to the dead-letter route at once with the original message; anything else is retried with
 * exponential back-off, and when the retries run out the exchange fails, so the source keeps the message (RabbitMQ
 * requeues it, Kafka rewinds) instead of the dead-letter destination filling up during an outage.
 */
public class BridgeErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "bridge";
    public static final String DEAD_LETTER_URI = "direct:dead-letter";

    @Override
    public void configuration() {
        DefaultErrorHandlerDefinition retries = new DefaultErrorHandlerDefinition();
        retries.getRedeliveryPolicy()
                .maximumRedeliveries("{{bridge.redelivery.maximum-redeliveries}}")
                .redeliveryDelay("{{bridge.redelivery.initial-delay-ms}}")
                .useExponentialBackOff()
                .backOffMultiplier("{{bridge.redelivery.backoff-multiplier}}")
                .maximumRedeliveryDelay("{{bridge.redelivery.maximum-delay-ms}}")
                .retryAttemptedLogLevel("{{bridge.redelivery.retry-log-level}}")
                .retriesExhaustedLogLevel(LoggingLevel.WARN)
                .logStackTrace(false)
                .logRetryStackTrace(false)
                .logExhaustedMessageHistory(false);

        routeConfiguration(ID)
                .errorHandler(retries)
                .onException(PermanentFailures.classes())
                        .handled(true)
                        .maximumRedeliveries(0)
                        .useOriginalMessage()
                        .to(DEAD_LETTER_URI);
    }
}
