package io.messagebridge.errors;

import java.time.Duration;
import java.util.Collection;

import io.messagebridge.config.InvalidSettingException;
import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Refuses a Kafka-fed route whose retries could outlast its poll interval ({@code maxPollIntervalMs}). A batch is
 * retried on its consumer's thread, which does not poll meanwhile: past the interval Kafka evicts the consumer, its
 * partitions move, and the batch's commit fails. The budget is the worst case: every attempt waits as long as a send
 * may (Kafka's {@code delivery.timeout.ms} or {@code bridge.rabbitmq.confirm-timeout-ms}), plus the back-off between
 * attempts. Checked as each route starts, at start-up and on a reload, so a bad setting stops it with one line.
 */
public final class RetryBudgetCheck extends LifecycleStrategySupport {

    /** Kafka's own defaults, for a route that leaves them unset. */
    private static final int KAFKA_MAX_POLL_INTERVAL_MS = 300_000;
    private static final int KAFKA_DELIVERY_TIMEOUT_MS = 120_000;

    private final Settings settings;

    public RetryBudgetCheck(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void onRoutesAdd(Collection<Route> routes) {
        for (Route route : routes) {
            if (route.getEndpoint() instanceof KafkaEndpoint kafka) {
                check(route.getRouteId(), kafka.getConfiguration());
            }
        }
    }

    private void check(String routeId, KafkaConfiguration kafka) {
        RedeliverySettings retries = RedeliverySettings.forRoute(settings, routeId);
        long attempt = Math.max(orDefault(kafka.getDeliveryTimeoutMs(), KAFKA_DELIVERY_TIMEOUT_MS),
                RabbitMqSettings.confirmTimeoutMillis(settings));
        long pollInterval = orDefault(kafka.getMaxPollIntervalMs(), KAFKA_MAX_POLL_INTERVAL_MS);
        long budget = retries.budgetMillis(attempt);
        if (budget > pollInterval) {
            String key = "bridge.redelivery." + routeId + ".maximum-redeliveries";
            throw new InvalidSettingException(key, Integer.toString(retries.maximumRedeliveries()), "route " + routeId
                    + " may retry a batch for " + (budget == Long.MAX_VALUE ? "ever" : minutes(budget))
                    + ", longer than its poll interval (maxPollIntervalMs, " + minutes(pollInterval) + "), after which"
                    + " Kafka evicts its consumer; allow fewer retries (a batch that runs out of them goes back to"
                    + " the topic and comes again) or a longer poll interval");
        }
    }

    private static long orDefault(Number value, int kafkaDefault) {
        return value == null ? kafkaDefault : value.longValue();
    }

    private static String minutes(long millis) {
        Duration duration = Duration.ofMillis(millis);
        return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
    }
}
