package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Bridge MBeans follow the routes: added with a route from a broker, whenever it is added, and gone with it. */
class RouteStatisticsTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Test
    void anMBeanAppearsAndDisappearsWithEachRouteThatConsumesFromABroker() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            RouteStatistics bridgeRoutes = new RouteStatistics(new DeadLetters(null));
            context.addService(bridgeRoutes);
            context.getManagementStrategy().addEventNotifier(bridgeRoutes);
            context.addRoutes(routes("at-start", "internal"));
            context.start();
            assertThat(server.isRegistered(RouteStatistics.objectName("at-start"))).isTrue();
            assertThat(server.isRegistered(RouteStatistics.objectName("internal"))).as("not from a broker").isFalse();

            // as a reload or a template instance would, on the running context
            context.addRoutes(routes("added-later", "internal-2"));
            assertThat(server.isRegistered(RouteStatistics.objectName("added-later"))).isTrue();
            assertThat(server.getAttribute(RouteStatistics.objectName("added-later"), "Source")).asString()
                    .startsWith("kafka://added-later");
            assertThat(server.getAttribute(RouteStatistics.objectName("added-later"), "State")).isEqualTo("Stopped");

            context.getRouteController().stopRoute("added-later");
            context.removeRoute("added-later");
            assertThat(server.isRegistered(RouteStatistics.objectName("added-later"))).isFalse();
            assertThat(server.isRegistered(RouteStatistics.objectName("at-start"))).isTrue();
        }
        assertThat(server.isRegistered(RouteStatistics.objectName("at-start"))).as("gone with the context").isFalse();
    }

    @Test
    void logLinesOfABridgeRouteCarryTheMessageIdItArrivedWith() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        try (CamelContext context = new DefaultCamelContext()) {
            context.setUseMDCLogging(true);
            RouteStatistics bridgeRoutes = new RouteStatistics(new DeadLetters(null));
            context.addService(bridgeRoutes);
            context.getManagementStrategy().addEventNotifier(bridgeRoutes);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kafka:mdc?brokers=127.0.0.1:9").routeId("mdc").autoStartup(false)
                            .process(e -> logged.add(MDC.get("camel.routeId") + " " + MDC.get("camel.messageId")));
                }
            });
            context.start();
            for (Map.Entry<String, Object> header : Map.<String, Object>of(
                    SpringRabbitMQConstants.MESSAGE_ID, "amqp-1",
                    KafkaConstants.TOPIC, "t").entrySet()) {
                Exchange exchange = context.getEndpoint("kafka:mdc?brokers=127.0.0.1:9").createExchange();
                exchange.getExchangeExtension().setFromRouteId("mdc");
                exchange.getIn().setHeader(header.getKey(), header.getValue());
                exchange.getIn().setHeader(KafkaConstants.PARTITION, 2);
                exchange.getIn().setHeader(KafkaConstants.OFFSET, 40L);
                context.getRoute("mdc").getProcessor().process(exchange);
            }
        }
        assertThat(logged).containsExactlyInAnyOrder("mdc amqp-1", "mdc t-2@40");
    }

    private static RouteBuilder routes(String bridgeRouteId, String internalRouteId) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // not started: nothing connects to a broker in this test
                from("kafka:" + bridgeRouteId + "?brokers=127.0.0.1:9").routeId(bridgeRouteId).autoStartup(false)
                        .to("direct:" + internalRouteId);
                from("direct:" + internalRouteId).routeId(internalRouteId).autoStartup(false).setBody(constant("x"));
            }
        };
    }
}
