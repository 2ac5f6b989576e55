package io.messagebridge.core;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A service that Camel hands its context before starting it (a context service, a route template's bean): the
 * context is there from {@code doStart} on, and {@link #getCamelContext()} is null before Camel set it.
 */
public abstract class ContextAwareService extends ServiceSupport implements CamelContextAware {

    private CamelContext camelContext;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
