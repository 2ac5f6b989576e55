package io.messagebridge.replay;

import java.util.Map;

import io.messagebridge.templates.BridgeTemplates;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * The routing-key pattern a route publishes with, for {@code --route}: the {@code routingKey} parameter of a route
 * made from the {@value BridgeTemplates#KAFKA_TO_RABBITMQ} template (Java DSL or YAML), its placeholders resolved as the
 * route resolved them. Other routes have no single routing key, and are refused in one line.
 */
public final class RouteRoutingKeys {

    private static final String PARAMETER = "routingKey";

    private RouteRoutingKeys() {
    }

    public static String of(CamelContext context, String routeId) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model.getRouteDefinition(routeId);
        if (route == null) {
            throw new IllegalArgumentException("no route " + routeId + "; routes: " + model.getRouteDefinitions().stream()
                    .map(RouteDefinition::getRouteId).sorted().toList());
        }
        Map<String, Object> parameters = route.getTemplateParameters();
        Object pattern = parameters == null ? null : parameters.get(PARAMETER);
        if (pattern == null) {
            throw new IllegalArgumentException("route " + routeId + " has no routing-key setting (only "
                    + BridgeTemplates.KAFKA_TO_RABBITMQ + " bridges have one): give --routing-key <pattern>");
        }
        return context.resolvePropertyPlaceholders(pattern.toString()).trim();
    }
}
