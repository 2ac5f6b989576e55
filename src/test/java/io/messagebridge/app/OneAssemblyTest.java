package io.messagebridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import io.messagebridge.assembly.BridgeAssembly;
import io.messagebridge.management.ManagementConfiguration;
import io.messagebridge.routefiles.OfflineContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.support.ObjectHelper;
import org.junit.jupiter.api.Test;

/**
 * The application's context and the offline one (validate, hot reload, RouteUnderTest) are made of the same parts:
 * the same components, beans, route templates, route configurations and routes, because both are assembled by
 * {@link BridgeAssembly}. Neither context is started, so nothing connects.
 */
class OneAssemblyTest {

    @Test
    void theApplicationAndTheOfflineContextHaveTheSameParts() throws Exception {
        try (DefaultCamelContext application = applicationContext();
             DefaultCamelContext offline = OfflineContext.create("classpath:application.properties", new Properties(),
                     Application.flows())) {
            Set<String> applicationParts = parts(application);
            // the one difference by design: the offline context has no management (JMX, Jolokia)
            applicationParts.removeAll(managementParts());
            assertThat(parts(offline)).isEqualTo(applicationParts);
            assertThat(parts(application)).contains("template:rabbitmq-to-kafka", "template:kafka-to-rabbitmq",
                    "template:kafka-to-route", "template:rabbitmq-to-route", "routeConfiguration:bridge",
                    "route:dead-letter", "component:kafka-batch", "component:spring-rabbitmq-batch",
                    "bean:rabbitAcknowledgement", "bean:amqpToKafkaHeaders", "bean:rabbitConnectionFactory");
        }
    }

    /**
     * The context as camel-main builds it from {@link Application#create()}: each of its configuration classes, then
     * each of its route builders (the assembly's and the flows).
     */
    private static DefaultCamelContext applicationContext() throws Exception {
        Main main = Application.create();
        DefaultCamelContext context = new DefaultCamelContext();
        context.disableJMX();
        context.getPropertiesComponent().setLocation("classpath:application.properties");
        for (String type : main.configure().getConfigurationClasses().split(",")) {
            CamelConfiguration configuration = (CamelConfiguration) ObjectHelper.newInstance(
                    context.getClassResolver().resolveMandatoryClass(type.trim()));
            configuration.configure(context);
        }
        List<RoutesBuilder> builders = new ArrayList<>(main.configure().getRoutesBuilders());
        assertThat(builders).extracting(Object::getClass)
                .containsAll(BridgeAssembly.routes().stream().map(Object::getClass).toList());
        for (RoutesBuilder builder : builders) {
            context.addRoutes(builder);
        }
        for (RoutesBuilder builder : builders) {
            builder.addTemplatedRoutesToCamelContext(context);
        }
        return context;
    }

    /** What ManagementConfiguration adds to a context that has nothing else. */
    private static Set<String> managementParts() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.disableJMX();
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            Set<String> before = parts(context);
            new ManagementConfiguration().configure(context);
            Set<String> added = parts(context);
            added.removeAll(before);
            return added;
        }
    }

    /** Components (each broker scheme resolved, as a route would), beans, templates, route configurations, routes. */
    private static Set<String> parts(DefaultCamelContext context) {
        BridgeAssembly.BROKER_SCHEMES.forEach(context::getComponent);
        Set<String> parts = new TreeSet<>();
        context.getComponentNames().forEach(name -> parts.add("component:" + name));
        context.getRegistry().findByTypeWithName(Object.class).keySet().forEach(name -> parts.add("bean:" + name));
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        model.getRouteTemplateDefinitions().stream().map(RouteTemplateDefinition::getId)
                .forEach(id -> parts.add("template:" + id));
        model.getRouteConfigurationDefinitions().stream().map(RouteConfigurationDefinition::getId)
                .forEach(id -> parts.add("routeConfiguration:" + id));
        model.getRouteDefinitions().stream().map(RouteDefinition::getRouteId).forEach(id -> parts.add("route:" + id));
        return parts;
    }
}
