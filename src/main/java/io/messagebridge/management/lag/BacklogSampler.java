package io.messagebridge.management.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.messagebridge.config.KafkaSecurity;
import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples, every {@value #INTERVAL_KEY} milliseconds on a thread of its own, what each bridge route has waiting at
 * its source: the records its Kafka consumer group is behind, per partition ({@link KafkaLag}, one admin client), or
 * the ready messages of its RabbitMQ queues ({@link QueueDepths}, a connection of its own). Routes are found as
 * {@link io.messagebridge.management.RouteStatistics} finds them (every route consuming from Kafka or RabbitMQ, however defined or reloaded), on
 * each sample. Guarantees: nothing runs on the routes' threads or connections; readers get the last sample
 * ({@link #backlog}) without waiting; a failed sample keeps the last values and lets their age
 * ({@code bridge_lag_sample_age_seconds}) grow. Interval 0 turns it off: no thread, no client, no meters.
 */
public final class BacklogSampler extends ServiceSupport {

    public static final String INTERVAL_KEY = "bridge.lag.sample-interval-ms";
    private static final Logger LOG = LoggerFactory.getLogger(BacklogSampler.class);

    private final long intervalMillis;
    private final KafkaLag kafkaLag;
    private final QueueDepths queueDepths;
    private final Map<String, Tracked> routes = new ConcurrentHashMap<>();
    private final CamelContext camelContext;
    private ScheduledExecutorService scheduler;
    private boolean kafkaFailing;
    private boolean rabbitMqFailing;

    private BacklogSampler(CamelContext camelContext, long intervalMillis, KafkaLag kafkaLag, QueueDepths queueDepths) {
        this.camelContext = camelContext;
        this.intervalMillis = intervalMillis;
        this.kafkaLag = kafkaLag;
        this.queueDepths = queueDepths;
    }

    /** Adds the sampler to the context, unless {@value #INTERVAL_KEY} is 0. */
    public static void install(CamelContext context, Settings settings) throws Exception {
        int interval = settings.integer(INTERVAL_KEY, 0, 3_600_000);
        if (interval == 0) {
            return;
        }
        // a slow answer delays the next sample rather than piling requests up on a struggling broker
        Duration timeout = Duration.ofMillis(Math.max(5_000, Math.min(interval, 30_000)));
        KafkaLag kafkaLag = new KafkaLag(KafkaSecurity.clientProperties(settings), timeout);
        QueueDepths queueDepths = new QueueDepths(RabbitMqSettings.from(settings));
        context.addService(new BacklogSampler(context, interval, kafkaLag, queueDepths), true, true);
    }

    /** The route's last sample, or null: sampler off, route not consuming from a broker, or not sampled yet. */
    public static Backlog backlog(CamelContext context, String routeId) {
        BacklogSampler sampler = context.hasService(BacklogSampler.class);
        Tracked route = sampler == null ? null : sampler.routes.get(routeId);
        return route == null ? null : route.backlog;
    }

    /** What a route reads from: Kafka topics in a consumer group, or RabbitMQ queues. */
    record Source(String group, List<String> topics, boolean resetToLatest, List<String> queues) {

        static Source of(Endpoint endpoint) {
            if (endpoint instanceof KafkaEndpoint kafka) {
                KafkaConfiguration configuration = kafka.getConfiguration();
                // a pattern's topics are only known to the consumer; a route without a group has no committed offsets
                if (configuration.isTopicIsPattern() || configuration.getGroupId() == null) {
                    return null;
                }
                return new Source(configuration.getGroupId(), names(configuration.getTopic()),
                        "latest".equals(configuration.getAutoOffsetReset()), List.of());
            }
            if (endpoint instanceof SpringRabbitMQEndpoint rabbit && rabbit.getQueues() != null) {
                return new Source(null, List.of(), false, names(rabbit.getQueues()));
            }
            return null;
        }

        boolean kafka() {
            return group != null;
        }

        private static List<String> names(String commaSeparated) {
            return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
        }
    }

    /** A route being sampled: its source, its last backlog, and its meters. */
    private static final class Tracked {
        final String routeId;
        final Source source;
        final Instant seen = Instant.now();
        final List<Meter> meters = new ArrayList<>();
        volatile Backlog backlog;

        Tracked(String routeId, Source source) {
            this.routeId = routeId;
            this.source = source;
        }

        /** Seconds since the last successful sample, or since the route appeared when there was none. */
        double ageSeconds() {
            Backlog last = backlog;
            return Duration.between(last == null ? seen : last.sampledAt(), Instant.now()).toMillis() / 1000.0;
        }
    }

    private void sampleEveryRoute() {
        try {
            sample();
        } catch (RuntimeException e) {
            // an exception would end the schedule: say it, and sample again next time
            LOG.warn("Backlog sample failed ({}); retrying every sample", rootCause(e), e);
        }
    }

    private void sample() {
        refreshRoutes();
        List<Tracked> kafka = routes.values().stream().filter(route -> route.source.kafka()).toList();
        List<Tracked> rabbit = routes.values().stream().filter(route -> !route.source.kafka()).toList();
        if (!rabbit.isEmpty()) {
            rabbitMqFailing = attempt("RabbitMQ queue depths", rabbitMqFailing, () -> {
                Instant now = Instant.now();
                Map<String, Backlog.QueueDepth> depths = queueDepths.sample(rabbit.stream()
                        .flatMap(route -> route.source.queues().stream()).distinct().toList());
                rabbit.forEach(route -> {
                    // a route whose queues could not all be read keeps its last sample
                    if (depths.keySet().containsAll(route.source.queues())) {
                        Map<String, Backlog.QueueDepth> own = new HashMap<>(depths);
                        own.keySet().retainAll(route.source.queues());
                        update(route, Map.of(), own, now);
                    }
                });
            });
        }
        if (!kafka.isEmpty()) {
            kafkaFailing = attempt("Kafka consumer lag", kafkaFailing, () -> {
                Instant now = Instant.now();
                Map<TopicPartition, Long> lag = new HashMap<>();
                Map<String, Map<TopicPartition, Long>> byGroup = kafkaLag.sample(
                        kafka.stream().map(route -> route.source).distinct().toList());
                kafka.forEach(route -> {
                    lag.clear();
                    byGroup.getOrDefault(route.source.group(), Map.of()).forEach((partition, behind) -> {
                        if (route.source.topics().contains(partition.topic())) {
                            lag.put(partition, behind);
                        }
                    });
                    if (!lag.isEmpty()) {
                        update(route, lag, Map.of(), now);
                    }
                });
            });
        }
    }

    /**
     * Runs one half of a sample; says in one line when it starts failing (a broker down is said by
     * BrokerReachability already, but not a missing permission) and when it works again. Returns whether it failed.
     */
    private boolean attempt(String what, boolean failing, Runnable sample) {
        try {
            sample.run();
            if (failing) {
                LOG.info("{} sampled again", what);
            }
            return false;
        } catch (RuntimeException e) {
            // a sample cut short by the application's stop is no news
            if (!failing && !isStoppingOrStopped()) {
                LOG.warn("{} not sampled ({}): the bridge_consumer_lag and bridge_queue_depth metrics keep their last "
                        + "values while bridge_lag_sample_age_seconds grows; retrying every sample", what, rootCause(e));
            }
            LOG.debug("{} not sampled", what, e);
            return true;
        }
    }

    /** The deepest cause says what is wrong (not authorized, timed out...); its wrappers only say where. */
    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private void update(Tracked route, Map<TopicPartition, Long> lag, Map<String, Backlog.QueueDepth> queues,
            Instant sampledAt) {
        Backlog previous = route.backlog;
        route.backlog = new Backlog(Map.copyOf(lag), Map.copyOf(queues), sampledAt);
        MeterRegistry registry = registry();
        if (registry == null) {
            return;
        }
        // a partition or queue gets its gauges the first time it is sampled; they read the route's latest backlog
        lag.keySet().stream().filter(partition -> previous == null || !previous.lag().containsKey(partition))
                .forEach(partition -> route.meters.add(gauge(registry, "bridge.consumer.lag", route,
                        Tags.of("topic", partition.topic(), "partition", Integer.toString(partition.partition())),
                        tracked -> lag(tracked, partition))));
        queues.keySet().stream().filter(queue -> previous == null || !previous.queues().containsKey(queue))
                .forEach(queue -> {
                    route.meters.add(gauge(registry, "bridge.queue.depth", route, Tags.of("queue", queue),
                            tracked -> depth(tracked, queue, Backlog.QueueDepth::messages)));
                    route.meters.add(gauge(registry, "bridge.queue.consumers", route, Tags.of("queue", queue),
                            tracked -> depth(tracked, queue, Backlog.QueueDepth::consumers)));
                });
    }

    private static double lag(Tracked route, TopicPartition partition) {
        Long behind = route.backlog.lag().get(partition);
        return behind == null ? Double.NaN : behind;
    }

    private static double depth(Tracked route, String queue, ToDoubleFunction<Backlog.QueueDepth> value) {
        Backlog.QueueDepth depth = route.backlog.queues().get(queue);
        return depth == null ? Double.NaN : value.applyAsDouble(depth);
    }

    private static Meter gauge(MeterRegistry registry, String name, Tracked route, Tags tags,
            ToDoubleFunction<Tracked> value) {
        return Gauge.builder(name, route, value).tags(tags).tag("routeId", route.routeId).strongReference(true)
                .register(registry);
    }

    /** Starts tracking new routes, and forgets (with their meters) those removed or reloaded with another source. */
    private void refreshRoutes() {
        Map<String, Source> current = new HashMap<>();
        for (Route route : camelContext.getRoutes()) {
            Source source = Source.of(route.getEndpoint());
            if (source != null) {
                current.put(route.getRouteId(), source);
            }
        }
        routes.values().removeIf(route -> {
            boolean gone = !route.source.equals(current.get(route.routeId));
            if (gone) {
                removeMeters(route);
            }
            return gone;
        });
        current.forEach((routeId, source) -> routes.computeIfAbsent(routeId, id -> {
            Tracked route = new Tracked(id, source);
            MeterRegistry registry = registry();
            if (registry != null) {
                route.meters.add(Gauge.builder("bridge.lag.sample.age", route, Tracked::ageSeconds)
                        .baseUnit("seconds").tag("routeId", id).strongReference(true).register(registry));
            }
            return route;
        }));
    }

    private void removeMeters(Tracked route) {
        MeterRegistry registry = registry();
        if (registry != null) {
            route.meters.forEach(registry::remove);
        }
    }

    private MeterRegistry registry() {
        return camelContext.getRegistry().findSingleByType(MeterRegistry.class);
    }

    @Override
    protected void doStart() {
        scheduler = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "BacklogSampler");
        scheduler.scheduleWithFixedDelay(this::sampleEveryRoute, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            camelContext.getExecutorServiceManager().shutdownNow(scheduler);
        }
        routes.values().forEach(this::removeMeters);
        routes.clear();
        kafkaLag.close();
        queueDepths.close();
    }
}
