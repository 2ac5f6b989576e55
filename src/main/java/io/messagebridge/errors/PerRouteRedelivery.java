package io.messagebridge.errors;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.RefErrorHandlerDefinition;

/**
 * Gives every route that uses the {@code bridge} route configuration, and has an id but no error handler of its own
 * (YAML routes, templated routes, routes added by a reload), the retry policy of its own
 * {@code bridge.redelivery.<route id>.*} keys, falling back to the shared ones. A route configuration cannot vary per
 * route, so this is applied as each route definition is added.
 */
public final class PerRouteRedelivery extends ModelLifecycleStrategySupport {

    private final CamelContext context;

    public PerRouteRedelivery(CamelContext context) {
        this.context = context;
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        if (BridgeErrorHandling.ID.equals(route.getRouteConfigurationId()) && route.getRouteId() != null
                && !hasOwnErrorHandler(route)) {
            route.setErrorHandlerFactory(BridgeErrorHandling.retries(context, route.getRouteId()));
        }
    }

    private static boolean hasOwnErrorHandler(RouteDefinition route) {
        return route.isErrorHandlerFactorySet()
                && !(route.getErrorHandlerFactory() instanceof RefErrorHandlerDefinition ref
                        && RefErrorHandlerDefinition.DEFAULT_ERROR_HANDLER_BUILDER.equals(ref.getRef()));
    }
}
