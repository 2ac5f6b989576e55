package io.messagebridge.management;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.messagebridge.failures.LoggedReason;
import io.messagebridge.management.lag.Backlog;
import io.messagebridge.management.lag.BacklogSampler;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.util.URISupport;

/** The counters and operations of one bridge route; see {@link BridgeRouteMBean}. */
public final class BridgeRoute implements BridgeRouteMBean {

    private final CamelContext context;
    private final String routeId;
    private final String source;
    private final DeadLetters deadLetters;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastErrorTime;

    BridgeRoute(CamelContext context, Route route, DeadLetters deadLetters) {
        this.context = context;
        this.routeId = route.getRouteId();
        this.source = URISupport.sanitizeUri(route.getEndpoint().getEndpointUri());
        this.deadLetters = deadLetters;
    }

    void forwarded(long messages) {
        forwarded.addAndGet(messages);
    }

    void deadLettered(Throwable reason) {
        deadLettered.incrementAndGet();
        failed(reason);
    }

    void redelivered(Throwable reason) {
        redelivered.incrementAndGet();
        failed(reason);
    }

    void duplicateDropped() {
        duplicates.incrementAndGet();
    }

    void failed(Throwable reason) {
        if (reason != null) {
            lastError = reason.getClass().getSimpleName() + ": " + LoggedReason.of(reason);
            lastErrorTime = Instant.now();
        }
    }

    @Override
    public String getRouteId() {
        return routeId;
    }

    @Override
    public String getSource() {
        return source;
    }

    @Override
    public String getState() {
        return context.getRouteController().getRouteStatus(routeId).name();
    }

    @Override
    public long getMessagesForwarded() {
        return forwarded.get();
    }

    @Override
    public long getMessagesDeadLettered() {
        return deadLettered.get();
    }

    @Override
    public long getMessagesRedelivered() {
        return redelivered.get();
    }

    @Override
    public long getDuplicatesDropped() {
        return duplicates.get();
    }

    @Override
    public long getConsumerLag() {
        Backlog backlog = BacklogSampler.backlog(context, routeId);
        return backlog == null ? -1 : backlog.consumerLag();
    }

    @Override
    public long getQueueDepth() {
        Backlog backlog = BacklogSampler.backlog(context, routeId);
        return backlog == null ? -1 : backlog.queueDepth();
    }

    @Override
    public String getBacklogSampledAt() {
        Backlog backlog = BacklogSampler.backlog(context, routeId);
        return backlog == null ? null : backlog.sampledAt().toString();
    }

    @Override
    public String getLastError() {
        return lastError;
    }

    @Override
    public String getLastErrorTime() {
        Instant time = lastErrorTime;
        return time == null ? null : time.toString();
    }

    @Override
    public void pause() throws Exception {
        context.getRouteController().suspendRoute(routeId);
    }

    @Override
    public void resume() throws Exception {
        context.getRouteController().resumeRoute(routeId);
    }

    @Override
    public long countDeadLetters() throws Exception {
        return deadLetters.count(routeId);
    }

    @Override
    public int replayDeadLetters(int max) throws Exception {
        return deadLetters.replay(routeId, max);
    }
}
