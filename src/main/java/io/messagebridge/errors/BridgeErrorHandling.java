package io.messagebridge.errors;

import io.messagebridge.config.Settings;
import io.messagebridge.failures.PermanentFailures;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;

/**
 * The error policy every bridge route shares (Java DSL and YAML alike, through {@code routeConfigurationId: bridge}):
 * permanent failures go to the dead-letter route at once with the original message; anything else is retried with
 * exponential back-off, and when the retries run out the exchange fails, so the source keeps the message (RabbitMQ
 * requeues it, Kafka rewinds) instead of the dead-letter destination filling up during an outage.
 * <p>
 * A route that names no route configuration gets the same policy (the fallback), so an integrator's route is fault
 * tolerant without copying anything. The dead-letter route has its own, empty one: a dead letter that cannot be
 * written must fail back to its source, not be dead-lettered again.
 */
public class BridgeErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "bridge";
    public static final String DEAD_LETTER_ID = "dead-letter";
    public static final String DEAD_LETTER_URI = "direct:dead-letter";

    /** The retry policy for transient failures of one route, from its {@link RedeliverySettings}. */
    public static DefaultErrorHandlerDefinition retries(RedeliverySettings settings) {
        DefaultErrorHandlerDefinition retries = new DefaultErrorHandlerDefinition();
        retries.getRedeliveryPolicy()
                .maximumRedeliveries(settings.maximumRedeliveries())
                .redeliveryDelay(settings.initialDelayMillis())
                .useExponentialBackOff()
                .backOffMultiplier(settings.backOffMultiplier())
                .maximumRedeliveryDelay(settings.maximumDelayMillis())
                .retryAttemptedLogLevel(LoggingLevel.valueOf(settings.retryLogLevel()))
                .retriesExhaustedLogLevel(LoggingLevel.WARN)
                .logStackTrace(false)
                .logRetryStackTrace(false)
                .logExhaustedMessageHistory(false);
        return retries;
    }

    /** No retries: for a route whose caller retries it. */
    public static DefaultErrorHandlerDefinition noRetries() {
        DefaultErrorHandlerDefinition none = new DefaultErrorHandlerDefinition();
        // the caller reports the failure when its own retries run out
        none.getRedeliveryPolicy().maximumRedeliveries(0).retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                .logStackTrace(false).logExhaustedMessageHistory(false);
        return none;
    }

    /** The retry policy of a route, by its id (route-specific keys first, then the shared ones). */
    public static DefaultErrorHandlerDefinition retries(CamelContext context, String routeId) {
        return retries(RedeliverySettings.forRoute(Settings.of(context), routeId));
    }

    @Override
    public void configuration() {
        // the shared policy, for routes that have none of their own (see PerRouteRedelivery for those with an id)
        deadLettersAndRetries(routeConfiguration(ID));
        deadLettersAndRetries(routeConfiguration());
        routeConfiguration(DEAD_LETTER_ID);
    }

    private void deadLettersAndRetries(RouteConfigurationDefinition configuration) {
        configuration
                .errorHandler(retries(RedeliverySettings.shared(Settings.of(getCamelContext()))))
                .onException(PermanentFailures.classes())
                        .handled(true)
                        .maximumRedeliveries(0)
                        .useOriginalMessage()
                        .to(DEAD_LETTER_URI);
    }
}
