package io.messagebridge.rabbitmq;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.impl.engine.DefaultShutdownStrategy;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.RouteStartupOrder;
import org.apache.camel.spi.ShutdownStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;

/**
 * Camel's graceful shutdown (stop taking messages, finish those in flight, then stop), with one step first for
 * RabbitMQ consumers that ack by hand: Camel would suspend them by stopping their listener container, which closes
 * the channel while Kafka sends are still in flight, so their acks fail and RabbitMQ redelivers messages Kafka already
 * has. Here such a route first holds new deliveries ({@link RabbitAcknowledgement#hold}) and waits for its in-flight
 * messages to be acked; only then does Camel stop the consumer. Used for every stop and suspend: SIGTERM, a route
 * paused over JMX, a route stopped from Hawtio. The whole stays within {@code camel.main.shutdown-timeout}.
 */
public final class GracefulShutdown extends DefaultShutdownStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    /** Replaces the context's strategy, keeping the settings camel-main gave it. */
    public static void install(CamelContext context) {
        ShutdownStrategy current = context.getShutdownStrategy();
        GracefulShutdown graceful = new GracefulShutdown();
        graceful.setCamelContext(context);
        graceful.setTimeout(current.getTimeout());
        graceful.setTimeUnit(current.getTimeUnit());
        graceful.setShutdownNowOnTimeout(current.isShutdownNowOnTimeout());
        graceful.setShutdownRoutesInReverseOrder(current.isShutdownRoutesInReverseOrder());
        graceful.setLogInflightExchangesOnTimeout(current.isLogInflightExchangesOnTimeout());
        graceful.setSuppressLoggingOnTimeout(current.isSuppressLoggingOnTimeout());
        context.setShutdownStrategy(graceful);
    }

    @Override
    protected boolean doShutdown(CamelContext context, List<RouteStartupOrder> routes, long timeout, TimeUnit timeUnit,
                                 boolean suspendOnly, boolean abortAfterTimeout, boolean forceShutdown) throws Exception {
        List<String> held = routes.stream().map(order -> order.getRoute())
                .filter(route -> route.getEndpoint() instanceof SpringRabbitMQEndpoint rabbit
                        && rabbit.getAcknowledgeMode() == AcknowledgeMode.MANUAL)
                .map(route -> route.getRouteId()).toList();
        long deadline = System.nanoTime() + timeUnit.toNanos(timeout);
        held.forEach(RabbitAcknowledgement::hold);
        if (!held.isEmpty()) {
            LOG.info("{} {}: holding new RabbitMQ deliveries until the {} in flight are acked",
                    suspendOnly ? "Suspending" : "Stopping", held, held.stream()
                            .mapToInt(id -> context.getInflightRepository().size(id)).sum());
        }
        try {
            awaitInflight(context.getInflightRepository(), held, deadline);
            long left = Math.max(TimeUnit.MILLISECONDS.convert(deadline - System.nanoTime(), TimeUnit.NANOSECONDS), 1);
            return super.doShutdown(context, routes, left, TimeUnit.MILLISECONDS, suspendOnly, abortAfterTimeout,
                    forceShutdown);
        } finally {
            held.forEach(RabbitAcknowledgement::release);
        }
    }

    private static void awaitInflight(InflightRepository inflight, List<String> routeIds, long deadline)
            throws InterruptedException {
        // the last acks go out as the last exchanges complete, after they have left the in-flight count
        while (routeIds.stream().anyMatch(id -> inflight.size(id) > 0 || RabbitAcknowledgement.unsettled(id) > 0)) {
            if (System.nanoTime() > deadline) {
                LOG.warn("RabbitMQ messages still in flight on {} at the shutdown timeout: they will be delivered again",
                        routeIds);
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
