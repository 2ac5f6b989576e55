package io.messagebridge.errors;

import io.messagebridge.config.Settings;

/**
 * How a route retries a transient failure. Each value is read from {@code bridge.redelivery.<route id>.<name>} if
 * set, else from {@code bridge.redelivery.<name>}, so one route can retry longer or quieter than the rest.
 */
public record RedeliverySettings(int maximumRedeliveries, long initialDelayMillis, double backOffMultiplier,
                                 long maximumDelayMillis, String retryLogLevel) {

    private static final String PREFIX = "bridge.redelivery.";

    /** The shared policy: {@code bridge.redelivery.<name>}. */
    public static RedeliverySettings shared(Settings settings) {
        return forRoute(settings, null);
    }

    public static RedeliverySettings forRoute(Settings settings, String routeId) {
        return new RedeliverySettings(
                settings.integer(key(settings, routeId, "maximum-redeliveries"), -1, Integer.MAX_VALUE),
                settings.integer(key(settings, routeId, "initial-delay-ms"), 0, 3_600_000),
                settings.decimal(key(settings, routeId, "backoff-multiplier"), 1, 100),
                settings.integer(key(settings, routeId, "maximum-delay-ms"), 0, 3_600_000),
                settings.oneOf(key(settings, routeId, "retry-log-level"), "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF"));
    }

    /**
     * The longest a message may take through every attempt, when each attempt takes {@code attemptMillis} before it
     * fails, and the back-off waits in between; {@link Long#MAX_VALUE} when it retries for ever.
     */
    public long budgetMillis(long attemptMillis) {
        if (maximumRedeliveries < 0) {
            return Long.MAX_VALUE;
        }
        long budget = attemptMillis * (maximumRedeliveries + 1L);
        double delay = initialDelayMillis;
        int retry = 0;
        for (; retry < maximumRedeliveries && delay < maximumDelayMillis; retry++) {
            budget += (long) delay;
            delay *= backOffMultiplier;
        }
        return budget + (maximumRedeliveries - retry) * maximumDelayMillis;
    }

    private static String key(Settings settings, String routeId, String name) {
        String routeKey = PREFIX + routeId + "." + name;
        return routeId != null && settings.text(routeKey, null) != null ? routeKey : PREFIX + name;
    }
}
