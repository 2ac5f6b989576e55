package io.messagebridge.routefiles;

import java.util.List;
import java.util.Properties;

import io.messagebridge.assembly.BridgeAssembly;
import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.spi.CliConnectorFactory;
import org.apache.camel.support.DefaultComponent;

/**
 * A Camel context that has everything the bridge's routes refer to (settings, and all that {@link BridgeAssembly}
 * puts in the application's context: route templates, the bridge route configuration, the dead-letter route, the
 * beans) and connects to nothing: for checking route files (the validate
 * command, hot reload) and for unit-testing routes. Its routes are created (so endpoint URIs, EIPs, template
 * parameters and placeholders are checked) but not started, and producers start only when first used. Deduplication is
 * off in it: its Kafka repository would connect.
 */
public final class OfflineContext {

    private OfflineContext() {
    }

    public static DefaultCamelContext create(String propertiesLocations, Properties overrides,
                                             List<RoutesBuilder> javaRoutes) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        // a check inside the running application must not show up as a second application, in JMX or in the log
        context.disableJMX();
        // nor to Camel JBang, whose connector (found on the class path) would share the application's ~/.camel/<pid>
        // files and delete them when this context stops, which stops the application
        context.getCamelContextExtension().getContextPlugin(CliConnectorFactory.class).setEnabled(false);
        context.setStartupSummaryLevel(StartupSummaryLevel.Off);
        context.setAutoStartup(false);
        context.getPropertiesComponent().setLocation(propertiesLocations);
        Properties override = new Properties();
        override.put("bridge.dedup.enabled", "false");
        override.putAll(overrides);
        context.getPropertiesComponent().setOverrideProperties(override);
        Settings settings = Settings.of(context);
        BridgeAssembly.assemble(context, settings, RabbitMqSettings.from(settings));
        context.getComponent("kafka", KafkaComponent.class).getConfiguration().setBrokers(settings.text("kafka.brokers"));
        for (String broker : BridgeAssembly.BROKER_SCHEMES) {
            context.getComponent(broker, DefaultComponent.class).setLazyStartProducer(true);
        }
        for (RoutesBuilder routes : BridgeAssembly.routes()) {
            context.addRoutes(routes);
        }
        for (RoutesBuilder routes : javaRoutes) {
            context.addRoutes(routes);
        }
        // as camel-main does: templated routes once every template is known
        for (RoutesBuilder routes : javaRoutes) {
            routes.addTemplatedRoutesToCamelContext(context);
        }
        return context;
    }
}
