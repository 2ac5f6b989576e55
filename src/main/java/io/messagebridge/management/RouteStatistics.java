package io.messagebridge.management;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import io.messagebridge.core.BridgeHeaders;
import io.messagebridge.core.BridgeProperties;
import io.messagebridge.core.RouteCounting;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCreatedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.spi.CamelEvent.RouteAddedEvent;
import org.apache.camel.spi.CamelEvent.RouteRemovedEvent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * One {@link BridgeRoute} MBean per bridge route ({@value #DOMAIN}:type=Bridge,name=&lt;route id&gt;), for every
 * route that consumes from RabbitMQ or Kafka, whatever defined it (Java DSL, YAML, a template, a reload): the MBean
 * appears when the route is added and goes when it is removed. Counts come from Camel's events, plus the two things
 * events cannot tell, which it learns as the context's {@link RouteCounting}: a dead letter written and a duplicate
 * dropped. A route that delivers a batch per exchange says how many messages it delivered in the exchange property
 * {@value BridgeProperties#FORWARDED}.
 */
public final class RouteStatistics extends EventNotifierSupport implements RouteCounting {

    public static final String DOMAIN = "io.messagebridge";

    private final DeadLetters deadLetters;
    private final Map<String, BridgeRoute> routes = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    public RouteStatistics(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreCamelContextEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    public static ObjectName objectName(String routeId) throws JMException {
        return new ObjectName(DOMAIN + ":type=Bridge,name=" + ObjectName.quote(routeId));
    }

    @Override
    public void deadLettered(Exchange deadLetter) {
        String routeId = deadLetter.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, deadLetter.getFromRouteId(),
                String.class);
        BridgeRoute route = routes.get(routeId);
        if (route == null) {
            // failed in a route the bridge called (kafka-to-route): it counts for the bridge the record came from
            route = routes.get(deadLetter.getFromRouteId());
        }
        if (route != null) {
            route.deadLettered(deadLetter.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class));
        }
    }

    @Override
    public void duplicateDropped(Exchange duplicate) {
        BridgeRoute route = routes.get(duplicate.getFromRouteId());
        if (route != null) {
            route.duplicateDropped();
        }
    }

    @Override
    public void notify(CamelEvent event) throws Exception {
        if (event instanceof RouteAddedEvent added) {
            register(added.getRoute());
        } else if (event instanceof RouteRemovedEvent removed) {
            unregister(removed.getRoute().getRouteId());
        } else if (event instanceof ExchangeEvent exchangeEvent) {
            Exchange exchange = exchangeEvent.getExchange();
            BridgeRoute route = exchange.getFromRouteId() == null ? null : routes.get(exchange.getFromRouteId());
            // the records of a split batch are counted with their batch
            if (route == null || exchange.getProperty(ExchangePropertyKey.SPLIT_INDEX) != null) {
                return;
            }
            if (event instanceof ExchangeCreatedEvent) {
                useSourceMessageId(exchange);
            } else if (event instanceof ExchangeRedeliveryEvent) {
                route.redelivered(cause(exchange));
            } else if (event instanceof ExchangeFailedEvent) {
                route.failed(cause(exchange));
            } else if (event instanceof ExchangeCompletedEvent && !exchange.getProperty(BridgeProperties.NOT_FORWARDED, false, Boolean.class)) {
                route.forwarded(exchange.getProperty(BridgeProperties.FORWARDED, 1L, Long.class));
            }
        }
    }

    /**
     * Fired before the unit of work puts the message id in the logging MDC (camel.main.use-mdc-logging): so log lines
     * show the id the message arrived with, the one operators search for, instead of one Camel made up.
     */
    private static void useSourceMessageId(Exchange exchange) {
        String id = BridgeHeaders.sourceMessageId(exchange.getIn());
        if (id != null) {
            exchange.getIn().setMessageId(id);
        }
    }

    private static Throwable cause(Exchange exchange) {
        return exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
    }

    private void register(Route route) throws JMException {
        if (!(route.getEndpoint() instanceof SpringRabbitMQEndpoint || route.getEndpoint() instanceof KafkaEndpoint)) {
            return;
        }
        BridgeRoute bridgeRoute = new BridgeRoute(getCamelContext(), route, deadLetters);
        routes.put(route.getRouteId(), bridgeRoute);
        ObjectName name = objectName(route.getRouteId());
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(new StandardMBean(bridgeRoute, BridgeRouteMBean.class), name);
        MeterRegistry registry = getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        if (registry != null) {
            List<Meter> routeMeters = meters(registry, bridgeRoute);
            // Camel's route policy has no in-flight gauge (only its costly per-exchange event notifier has one)
            routeMeters.add(Gauge.builder("bridge.exchanges.inflight", getCamelContext().getInflightRepository(),
                    inflight -> inflight.size(route.getRouteId())).tag("routeId", route.getRouteId()).register(registry));
            meters.put(route.getRouteId(), routeMeters);
        }
    }

    /**
     * The same counts for Prometheus (bridge_messages_forwarded_total{routeId=...} and so on): Camel's own route
     * metrics count exchanges, and an exchange of a batch route carries many messages.
     */
    private static List<Meter> meters(MeterRegistry registry, BridgeRoute route) {
        Map<String, ToDoubleFunction<BridgeRoute>> counts = Map.of(
                "bridge.messages.forwarded", BridgeRoute::getMessagesForwarded,
                "bridge.messages.dead.lettered", BridgeRoute::getMessagesDeadLettered,
                "bridge.messages.redelivered", BridgeRoute::getMessagesRedelivered,
                "bridge.duplicates.dropped", BridgeRoute::getDuplicatesDropped);
        List<Meter> meters = new ArrayList<>();
        counts.forEach((name, count) -> meters.add(FunctionCounter.builder(name, route, count)
                .tag("routeId", route.getRouteId())
                .register(registry)));
        return meters;
    }

    private void unregister(String routeId) throws JMException {
        List<Meter> routeMeters = meters.remove(routeId);
        MeterRegistry registry = getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        if (routeMeters != null && registry != null) {
            routeMeters.forEach(registry::remove);
        }
        if (routes.remove(routeId) != null && server.isRegistered(objectName(routeId))) {
            server.unregisterMBean(objectName(routeId));
        }
    }

    @Override
    protected void doStart() throws Exception {
        // routes added before this notifier was
        for (Route route : getCamelContext().getRoutes()) {
            if (!routes.containsKey(route.getRouteId())) {
                register(route);
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        for (String routeId : routes.keySet()) {
            unregister(routeId);
        }
    }
}
