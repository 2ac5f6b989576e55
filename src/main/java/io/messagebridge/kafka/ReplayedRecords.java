package io.messagebridge.kafka;

import java.util.ArrayList;
import java.util.List;

import io.messagebridge.core.BridgeHeaders;
import io.messagebridge.errors.DeadLetterHeaders;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of a Kafka-fed template route, right after {@link KafkaBatchCommit}, that takes out of its batch the
 * replayed dead letters meant for another route: a replay writes back into a topic that several consumer groups read,
 * and only the route that failed is to handle the record again. A record taken out is committed with its batch, not
 * handled, not dead-lettered, not counted as forwarded. The route a record is meant for is its {@value
 * DeadLetterHeaders#REPLAY_ROUTE} header: this route's id, or (for a dead letter written before dead letters named
 * the route that consumed them) the id of the route this one hands its records to.
 * <p>
 * The header is removed from the records that stay, so that it does not travel on with their outputs and make a
 * route downstream skip them.
 */
public final class ReplayedRecords implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayedRecords.class);

    /** The endpoint a kafka-to-route hands its records to; null for a bridge that handles them itself. */
    private final String calledUri;
    /** Its normalized URI, resolved once: resolving normalizes the URI again each time. */
    private volatile String calledEndpointUri;

    public ReplayedRecords(String calledUri) {
        this.calledUri = calledUri;
    }

    @Override
    public void process(Exchange batch) {
        List<?> records = batch.getMessage().getBody(List.class);
        if (records == null) {
            return;
        }
        List<Object> kept = null;
        for (int index = 0; index < records.size(); index++) {
            Exchange record = (Exchange) records.get(index);
            Object target = record.getMessage().removeHeader(DeadLetterHeaders.REPLAY_ROUTE);
            boolean keep = target == null || isThisRoute(batch, record, BridgeHeaders.asText(target));
            if (!keep && kept == null) {
                kept = new ArrayList<>(records.subList(0, index));
            } else if (keep && kept != null) {
                kept.add(record);
            }
        }
        if (kept != null) {
            LOG.debug("Route {} skipped {} replayed records meant for other routes", batch.getFromRouteId(),
                    records.size() - kept.size());
            batch.getMessage().setBody(kept);
        }
    }

    private boolean isThisRoute(Exchange batch, Exchange record, String target) {
        if (target.equals(batch.getFromRouteId())) {
            return true;
        }
        CamelContext context = batch.getContext();
        Route route = context.getRoute(target);
        if (route == null) {
            // every route on the topic skips it: say so, or a replay would seem done while nothing handled it
            LOG.warn("Route {} skipped a replayed record ({}) meant for route {}, which does not exist (renamed or "
                    + "removed since the dead letter was written)", batch.getFromRouteId(),
                    BridgeHeaders.sourceMessageId(record.getMessage()), target);
            return false;
        }
        if (calledUri == null) {
            return false;
        }
        if (calledEndpointUri == null) {
            calledEndpointUri = context.getEndpoint(calledUri).getEndpointUri();
        }
        return route.getEndpoint().getEndpointUri().equals(calledEndpointUri);
    }
}
