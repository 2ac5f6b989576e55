package io.messagebridge.management;

import io.messagebridge.config.Settings;
import io.messagebridge.management.lag.BacklogSampler;
import io.messagebridge.rabbitmq.GracefulShutdown;
import io.messagebridge.replay.RangeReplays;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CliConnectorFactory;

/**
 * What operators manage the application with: a {@link BridgeRoute} MBean per bridge route, the lag and queue depth
 * of each ({@link BacklogSampler}, unless turned off), replays of a topic's history ({@link RangeReplays}), remote
 * JMX when asked for, Jolokia behind its {@link JolokiaGuard} when asked for, the developer console kept to this
 * machine ({@link DevConsoleGuard}) and secrets out of it and of Camel JBang's status file
 * ({@link MaskedSettingsConsole}), Camel JBang's connector only when bridge.cli-connector.enabled, and a shutdown (and
 * route suspend) that acks RabbitMQ messages in flight before closing their channel.
 */
public class ManagementConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.of(context);
        DeadLetters deadLetters = context.hasService(DeadLetters.class);
        RouteStatistics bridgeRoutes = new RouteStatistics(deadLetters);
        context.addService(bridgeRoutes, true, true);
        context.getManagementStrategy().addEventNotifier(bridgeRoutes);
        BacklogSampler.install(context, settings);
        RemoteJmx remoteJmx = RemoteJmx.from(settings);
        if (remoteJmx != null) {
            context.addService(remoteJmx, true, true);
        }
        context.addService(new RangeReplays(context), true, true);
        context.getRegistry().bind(GuardedJolokia.NAME, new GuardedJolokia(JolokiaGuard.from(settings)));
        DevConsoleGuard devConsoleGuard = new DevConsoleGuard(context);
        // an event notifier hears nothing until started
        context.addService(devConsoleGuard, true, true);
        context.getManagementStrategy().addEventNotifier(devConsoleGuard);
        MaskedSettingsConsole.install(context);
        // camel-cli-connector, found on the class path, would start with the context whatever the settings say
        context.getCamelContextExtension().getContextPlugin(CliConnectorFactory.class)
                .setEnabled(Boolean.parseBoolean(settings.oneOf("bridge.cli-connector.enabled", "true", "false")));
        GracefulShutdown.install(context);
    }
}
