package io.messagebridge.torabbitmq;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Return;
import io.messagebridge.core.BridgeProperties;
import io.messagebridge.failures.BatchDeadLetters;
import io.messagebridge.failures.UnroutableMessageException;
import io.messagebridge.outputs.ConfirmChannel;
import io.messagebridge.outputs.ConfirmChannels;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Publishes a batch's {@link PendingPublishes} to RabbitMQ the way a hand-written client would: every message on one
 * channel, persistent and mandatory, then one wait for all publisher confirms. Only when this returns does the batch
 * complete (and its Kafka offsets get committed). If RabbitMQ nacks, times out or drops the connection, the whole
 * batch fails and is published again (at least once). Messages RabbitMQ returns as unroutable go to the dead-letter
 * route with the reason ({@link BatchDeadLetters}) instead of being dropped.
 */
public final class RabbitBatchPublisher implements Processor {

    private final ConfirmChannels channels;
    private final long confirmTimeoutMillis;

    public RabbitBatchPublisher(ConfirmChannels channels, long confirmTimeoutMillis) {
        this.channels = channels;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
    }

    @Override
    public void process(Exchange batch) throws Exception {
        List<OutgoingAmqpMessage> messages = PendingPublishes.messages(batch);
        batch.setProperty(BridgeProperties.FORWARDED, 0);
        if (messages.isEmpty()) {
            return;
        }
        List<OutgoingAmqpMessage> candidates = new ArrayList<>(messages);
        for (Return returned : publish(messages)) {
            OutgoingAmqpMessage message = ConfirmChannel.takeReturned(candidates, returned, OutgoingAmqpMessage::message);
            // from here on the pending publishes are what RabbitMQ has: the returned messages go to the dead-letter route
            messages.remove(message);
            BatchDeadLetters.add(batch, message.source(), UnroutableMessageException.of(returned));
        }
        batch.setProperty(BridgeProperties.FORWARDED, messages.size());
    }

    private List<Return> publish(List<OutgoingAmqpMessage> messages)
            throws IOException, InterruptedException, TimeoutException {
        return channels.publishAll(messages.stream().map(OutgoingAmqpMessage::message).toList(), confirmTimeoutMillis);
    }
}
