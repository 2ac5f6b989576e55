package io.messagebridge.errors;

import io.messagebridge.core.BridgeProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.ErrorHandlerFactory;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.PropertyDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.model.errorhandler.RefErrorHandlerDefinition;

/**
 * Gives every route that uses the bridge's error handling ({@code routeConfigurationId: bridge}, or no route
 * configuration at all, which picks the fallback) and has an id but no error handler of its own (template
 * instances, YAML routes, routes added by a reload) the retry policy of its own {@code bridge.redelivery.<route id>.*}
 * keys, falling back to the shared ones; a route that consumes {@code direct:} gets none (its caller retries). A
 * route configuration cannot vary per route, so this is applied as each route definition is added.
 */
public final class PerRouteRedelivery extends ModelLifecycleStrategySupport {

    private final CamelContext context;

    public PerRouteRedelivery(CamelContext context) {
        this.context = context;
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        String configuration = route.getRouteConfigurationId();
        if ((configuration == null || BridgeErrorHandling.ID.equals(configuration)) && route.getRouteId() != null
                && !hasOwnErrorHandler(route, context)) {
            DefaultErrorHandlerDefinition retries = isCalled(route) ? BridgeErrorHandling.noRetries()
                    : BridgeErrorHandling.retries(context, route.getRouteId());
            if (route.getRouteProperties() != null && route.getRouteProperties().stream()
                    .anyMatch(p -> isTrue(p, BridgeProperties.ASYNC_REDELIVERY))) {
                retries.asyncDelayedRedelivery();
            }
            route.setErrorHandlerFactory(retries);
        }
    }

    /**
     * A route another one calls ({@code direct:}) is retried by its caller, from the caller's step that called it:
     * retrying inside it too would multiply the attempts, and costs a copy of the exchange before each of its steps.
     */
    private static boolean isCalled(RouteDefinition route) {
        return route.getInput() != null && route.getInput().getEndpointUri() != null
                && route.getInput().getEndpointUri().startsWith("direct:");
    }

    private static boolean isTrue(PropertyDefinition property, String key) {
        return key.equals(property.getKey()) && "true".equals(property.getValue());
    }

    /** Not the default one, nor the shared one a route configuration gave it (template instances are prepared first). */
    private static boolean hasOwnErrorHandler(RouteDefinition route, CamelContext context) {
        ErrorHandlerFactory handler = route.getErrorHandlerFactory();
        return route.isErrorHandlerFactorySet()
                && !(handler instanceof RefErrorHandlerDefinition ref
                        && RefErrorHandlerDefinition.DEFAULT_ERROR_HANDLER_BUILDER.equals(ref.getRef()))
                && context.getCamelContextExtension().getContextPlugin(Model.class).getRouteConfigurationDefinitions()
                        .stream().noneMatch(c -> c.getErrorHandler() != null
                                && c.getErrorHandler().getErrorHandlerType() == handler);
    }
}
