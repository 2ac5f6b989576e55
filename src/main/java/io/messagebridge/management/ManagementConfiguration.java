package io.messagebridge.management;

import io.messagebridge.config.Settings;
import io.messagebridge.rabbitmq.GracefulShutdown;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * What operators manage the application with: a {@link BridgeRoute} MBean per bridge route, remote JMX when asked
 * for, Jolokia behind its {@link JolokiaGuard} when asked for, and a shutdown (and route suspend) that acks RabbitMQ
 * messages in flight before closing their channel.
 */
public class ManagementConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.of(context);
        DeadLetters deadLetters = context.hasService(DeadLetters.class);
        RouteStatistics bridgeRoutes = new RouteStatistics(deadLetters);
        context.addService(bridgeRoutes, true, true);
        context.getManagementStrategy().addEventNotifier(bridgeRoutes);
        RemoteJmx remoteJmx = RemoteJmx.from(settings);
        if (remoteJmx != null) {
            context.addService(remoteJmx, true, true);
        }
        context.getRegistry().bind(GuardedJolokia.NAME, new GuardedJolokia(JolokiaGuard.from(settings)));
        GracefulShutdown.install(context);
    }
}
