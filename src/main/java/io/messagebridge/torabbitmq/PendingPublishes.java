package io.messagebridge.torabbitmq;

import java.util.ArrayList;
import java.util.List;

import io.messagebridge.core.BridgeProperties;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The messages of one batch waiting to be published to RabbitMQ. The split exchanges of a batch share their
 * parent's properties, so each record that maps cleanly adds itself here; the records that were dead-lettered do not.
 */
public final class PendingPublishes {

    private PendingPublishes() {
    }

    public static void open(Exchange batch) {
        batch.setProperty(BridgeProperties.PENDING_PUBLISHES, new ArrayList<OutgoingAmqpMessage>());
    }

    public static void add(Exchange record, OutgoingAmqpMessage message) {
        messages(record).add(message);
    }

    @SuppressWarnings("unchecked")
    public static List<OutgoingAmqpMessage> messages(Exchange exchange) {
        List<OutgoingAmqpMessage> pending = exchange.getProperty(BridgeProperties.PENDING_PUBLISHES, List.class);
        if (pending == null) {
            throw new IllegalStateException("no pending publishes: call PendingPublishes.open on the batch first");
        }
        return pending;
    }

    /** For deduplication, once the batch was confirmed: the messages the batch's publishes were made from. */
    public static List<Message> sources(Exchange batch) {
        return messages(batch).stream().map(OutgoingAmqpMessage::source).toList();
    }
}
