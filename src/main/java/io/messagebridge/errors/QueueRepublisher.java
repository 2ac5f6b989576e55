package io.messagebridge.errors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Return;
import io.messagebridge.outputs.ConfirmChannel;
import io.messagebridge.outputs.OutgoingRabbitMessage;

/**
 * Publishes dead letters to their source queue, mandatory, on a channel in confirm mode, and tells which of them
 * RabbitMQ refused (nacked, or returned as unroutable). Unlike waiting for confirms "or die", one refusal does not
 * hide what became of the others: those the queue took can leave the dead-letter queue, and only the refused stay.
 * One thread publishes and waits; RabbitMQ's answers arrive on the connection's thread.
 */
final class QueueRepublisher implements ConfirmListener {

    /** The dead letters RabbitMQ refused in one round, and why (its words: "nacked", a return's reply text). */
    record Refusals(Set<Long> deliveryTags, Set<String> reasons) {

        boolean isEmpty() {
            return deliveryTags.isEmpty();
        }
    }

    private record Published(GetResponse deadLetter, OutgoingRabbitMessage message) {
    }

    private final Channel channel;
    private final long timeoutMillis;
    /** By publish sequence number, until RabbitMQ answers. */
    private final NavigableMap<Long, Published> unanswered = new TreeMap<>();
    private final List<Published> published = new ArrayList<>();
    private final List<Published> nacked = new ArrayList<>();
    private final List<Return> returned = new ArrayList<>();

    QueueRepublisher(Channel channel, long timeoutMillis) throws IOException {
        this.channel = channel;
        this.timeoutMillis = timeoutMillis;
        channel.confirmSelect();
        channel.addConfirmListener(this);
        channel.addReturnListener(message -> {
            synchronized (this) {
                returned.add(message);
            }
        });
        channel.addShutdownListener(cause -> {
            synchronized (this) {
                notifyAll();
            }
        });
    }

    void publish(GetResponse deadLetter, String queue, AMQP.BasicProperties properties) throws IOException {
        Published message = new Published(deadLetter,
                new OutgoingRabbitMessage("", queue, properties, deadLetter.getBody(), null));
        synchronized (this) {
            unanswered.put(channel.getNextPublishSeqNo(), message);
            published.add(message);
        }
        channel.basicPublish("", queue, true, properties, deadLetter.getBody());
    }

    /** Waits for RabbitMQ's answer to everything published since the last call; returns what it refused. */
    synchronized Refusals awaitAnswers() throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!unanswered.isEmpty()) {
            if (!channel.isOpen()) {
                throw channel.getCloseReason();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("RabbitMQ did not confirm " + unanswered.size() + " replayed dead letters within "
                        + timeoutMillis + " ms (bridge.rabbitmq.confirm-timeout-ms)");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Set<Long> tags = new LinkedHashSet<>();
        Set<String> reasons = new LinkedHashSet<>();
        for (Published message : nacked) {
            tags.add(message.deadLetter().getEnvelope().getDeliveryTag());
            reasons.add("nacked");
        }
        // RabbitMQ sends a return before the confirm of the same message: every return is here by now
        List<Published> candidates = new ArrayList<>(published);
        for (Return message : returned) {
            tags.add(ConfirmChannel.takeReturned(candidates, message, Published::message).deadLetter()
                    .getEnvelope().getDeliveryTag());
            reasons.add("returned: " + message.getReplyText());
        }
        published.clear();
        nacked.clear();
        returned.clear();
        return new Refusals(tags, reasons);
    }

    @Override
    public void handleAck(long sequenceNumber, boolean multiple) {
        answered(sequenceNumber, multiple, false);
    }

    @Override
    public void handleNack(long sequenceNumber, boolean multiple) {
        answered(sequenceNumber, multiple, true);
    }

    private synchronized void answered(long sequenceNumber, boolean multiple, boolean nack) {
        Map<Long, Published> answered = multiple ? unanswered.headMap(sequenceNumber, true)
                : unanswered.subMap(sequenceNumber, true, sequenceNumber, true);
        if (nack) {
            nacked.addAll(answered.values());
        }
        answered.clear();
        notifyAll();
    }
}
