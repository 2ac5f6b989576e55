package io.messagebridge.management;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Camel's developer console ({@code /q/dev} on the management server, {@code camel.management.dev-console-enabled},
 * on in the dev profile only) to this machine, by the rules of a {@link JolokiaGuard#loopbackOnly} guard: a request
 * must be addressed to localhost, 127.0.0.1 or [::1], and may not come from a page of another origin. The console
 * has no login, and its GET requests stop routes, send messages and show the routes' sources and the settings, so a
 * page the developer's browser opens must not reach it. Installed in front of Camel's handler once the context has
 * started (the supervised routes start after that; the server listens a few seconds earlier, in the dev profile only);
 * does nothing when the console is off.
 */
public final class DevConsoleGuard extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DevConsoleGuard.class);
    private static final String PATH = "/q/dev*";

    private final CamelContext context;
    private final JolokiaGuard guard = JolokiaGuard.loopbackOnly("the developer console");

    public DevConsoleGuard(CamelContext context) {
        this.context = context;
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || !server.isDevConsoleEnabled()) {
            return;
        }
        // an order before any of Camel's own routes on that server, whose order starts at 0
        server.getRouter().route(PATH).order(-1).handler(request -> {
            HostAndPort authority = request.request().authority();
            JolokiaGuard.Refusal refusal = guard.check(authority == null ? null : authority.host(),
                    request.request()::getHeader);
            if (refusal == null) {
                request.next();
            } else {
                LOG.debug("Developer console request refused ({}): {}", refusal.status(), refusal.reason());
                request.response().setStatusCode(refusal.status())
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end(refusal.reason() + "\n");
            }
        });
        LOG.info("Developer console at http://{}:{}/q/dev, for this machine only", server.getHost(), server.getPort());
    }
}
