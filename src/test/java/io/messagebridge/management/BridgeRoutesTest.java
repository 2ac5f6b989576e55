package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import javax.management.MBeanServer;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Bridge MBeans follow the routes: added with a route from a broker, whenever it is added, and gone with it. */
class BridgeRoutesTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Test
    void anMBeanAppearsAndDisappearsWithEachRouteThatConsumesFromABroker() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            BridgeRoutes bridgeRoutes = new BridgeRoutes(new DeadLetters(null));
            context.addService(bridgeRoutes);
            context.getManagementStrategy().addEventNotifier(bridgeRoutes);
            context.addRoutes(routes("at-start", "internal"));
            context.start();
            assertThat(server.isRegistered(BridgeRoutes.objectName("at-start"))).isTrue();
            assertThat(server.isRegistered(BridgeRoutes.objectName("internal"))).as("not from a broker").isFalse();

            // as a reload or a template instance would, on the running context
            context.addRoutes(routes("added-later", "internal-2"));
            assertThat(server.isRegistered(BridgeRoutes.objectName("added-later"))).isTrue();
            assertThat(server.getAttribute(BridgeRoutes.objectName("added-later"), "Source")).asString()
                    .startsWith("kafka://added-later");
            assertThat(server.getAttribute(BridgeRoutes.objectName("added-later"), "State")).isEqualTo("Stopped");

            context.getRouteController().stopRoute("added-later");
            context.removeRoute("added-later");
            assertThat(server.isRegistered(BridgeRoutes.objectName("added-later"))).isFalse();
            assertThat(server.isRegistered(BridgeRoutes.objectName("at-start"))).isTrue();
        }
        assertThat(server.isRegistered(BridgeRoutes.objectName("at-start"))).as("gone with the context").isFalse();
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
