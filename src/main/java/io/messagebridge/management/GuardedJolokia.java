package io.messagebridge.management;

import io.messagebridge.core.ContextAwareService;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.platform.http.plugin.DefaultJolokiaPlatformHttpPlugin;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's Jolokia (what /observe/jolokia serves when Jolokia is on) behind a {@link JolokiaGuard}: a request the guard
 * refuses gets its status and reason as Jolokia-style JSON and never reaches Jolokia. Bound in the registry under the
 * plugin's id, where Camel's management server looks before its own, so no way of turning Jolokia on leaves it out.
 */
public final class GuardedJolokia extends ContextAwareService implements JolokiaPlatformHttpPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedJolokia.class);

    private final JolokiaGuard guard;
    private DefaultJolokiaPlatformHttpPlugin jolokia;
    private Handler<RoutingContext> handler;

    public GuardedJolokia(JolokiaGuard guard) {
        this.guard = guard;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void doStart() {
        // made here, not with this object: it reads jolokia-access.xml and logs, which only matters once Jolokia is on
        jolokia = new DefaultJolokiaPlatformHttpPlugin();
        jolokia.setCamelContext(getCamelContext());
        ServiceHelper.startService(jolokia);
        Handler<RoutingContext> jolokiaHandler = (Handler<RoutingContext>) jolokia.getHandler();
        handler = context -> {
            HostAndPort authority = context.request().authority();
            JolokiaGuard.Refusal refusal = guard.check(authority == null ? null : authority.host(),
                    context.request()::getHeader);
            if (refusal == null) {
                jolokiaHandler.handle(context);
            } else {
                refuse(context, refusal);
            }
        };
        LOG.info("Jolokia: reads, and operations of io.messagebridge MBeans only; for pages of this machine{}; {}",
                guard.allowedOrigins().isEmpty() ? "" : " and " + String.join(", ", guard.allowedOrigins()),
                guard.asksForLogin() ? "with a login (bridge.jolokia.username)"
                        : "no login (bridge.jolokia.password unset)");
    }

    private static void refuse(RoutingContext context, JolokiaGuard.Refusal refusal) {
        // at debug: a page that keeps calling must not be able to flood the log
        LOG.debug("Jolokia request refused ({}): {}", refusal.status(), refusal.reason());
        if (refusal.status() == 401) {
            context.response().putHeader("WWW-Authenticate", JolokiaGuard.CHALLENGE);
        }
        JsonObject body = new JsonObject();
        body.put("status", refusal.status());
        body.put("error", refusal.reason());
        context.response().setStatusCode(refusal.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toJson());
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(jolokia);
    }

    @Override
    public Object getHandler() {
        return handler;
    }

    @Override
    public String getId() {
        return NAME;
    }
}
