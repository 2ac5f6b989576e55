package io.messagebridge.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Return;
import io.messagebridge.management.BridgeRoutes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a batch's {@link RabbitOutbox} to RabbitMQ the way a hand-written client would: every message on one
 * channel, persistent and mandatory, then one wait for all publisher confirms. Only when this returns does the batch
 * complete (and its Kafka offsets get committed). If RabbitMQ nacks, times out or drops the connection, the whole
 * batch fails and is published again (at least once). Messages RabbitMQ returns as unroutable go to the dead-letter
 * route with the reason ({@link BatchDeadLetters}) instead of being dropped.
 */
public final class RabbitBatchPublisher extends ServiceSupport implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitBatchPublisher.class);

    private final ConnectionFactory connectionFactory;
    private final long confirmTimeoutMillis;
    private final BlockingQueue<PublisherChannel> idle = new LinkedBlockingQueue<>();
    private Connection connection;

    public RabbitBatchPublisher(ConnectionFactory connectionFactory, long confirmTimeoutMillis) {
        this.connectionFactory = connectionFactory;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
    }

    @Override
    public void process(Exchange batch) throws Exception {
        List<OutgoingAmqpMessage> messages = RabbitOutbox.messages(batch);
        batch.setProperty(BridgeRoutes.FORWARDED, 0);
        if (messages.isEmpty()) {
            return;
        }
        List<OutgoingAmqpMessage> candidates = new ArrayList<>(messages);
        for (Return returned : publish(messages)) {
            OutgoingAmqpMessage message = takeMatching(candidates, returned);
            // from here on the outbox holds what RabbitMQ has: the returned messages go to the dead-letter route
            messages.remove(message);
            BatchDeadLetters.add(batch, message.source(), new UnroutableMessageException(
                    returned.getExchange(), returned.getRoutingKey(), returned.getReplyText()));
        }
        batch.setProperty(BridgeRoutes.FORWARDED, messages.size());
    }

    private List<Return> publish(List<OutgoingAmqpMessage> messages)
            throws IOException, InterruptedException, TimeoutException {
        PublisherChannel publisher = borrow();
        boolean healthy = false;
        try {
            publisher.returned.clear();
            for (OutgoingAmqpMessage message : messages) {
                publisher.declare(message.exchange());
                publisher.channel.basicPublish(message.exchange(), message.routingKey(), true, message.properties(),
                        message.body());
            }
            // RabbitMQ sends basic.return before the confirm of the same message, so returns are complete here.
            publisher.channel.waitForConfirmsOrDie(confirmTimeoutMillis);
            healthy = true;
            return new ArrayList<>(publisher.returned);
        } finally {
            if (healthy) {
                idle.offer(publisher);
            } else {
                publisher.close();
            }
        }
    }

    /** A return carries no publish sequence number: it is matched on what identifies the message, once each. */
    private static OutgoingAmqpMessage takeMatching(List<OutgoingAmqpMessage> candidates, Return returned) {
        for (Iterator<OutgoingAmqpMessage> it = candidates.iterator(); it.hasNext(); ) {
            OutgoingAmqpMessage message = it.next();
            if (message.routingKey().equals(returned.getRoutingKey())
                    && Objects.equals(message.properties().getMessageId(), returned.getProperties().getMessageId())
                    && Objects.equals(message.properties().getCorrelationId(),
                            returned.getProperties().getCorrelationId())
                    && Arrays.equals(message.body(), returned.getBody())) {
                it.remove();
                return message;
            }
        }
        throw new IllegalStateException("RabbitMQ returned a message this batch did not publish");
    }

    private PublisherChannel borrow() throws IOException, TimeoutException {
        PublisherChannel channel = idle.poll();
        while (channel != null && !channel.channel.isOpen()) {
            channel = idle.poll();
        }
        return channel != null ? channel : new PublisherChannel(connection().createChannel());
    }

    private synchronized Connection connection() throws IOException, TimeoutException {
        if (connection == null || !connection.isOpen()) {
            connection = connectionFactory.newConnection("rabbitmq-kafka-bridge publisher");
        }
        return connection;
    }

    @Override
    protected void doStop() throws Exception {
        idle.forEach(PublisherChannel::close);
        idle.clear();
        synchronized (this) {
            if (connection != null && connection.isOpen()) {
                connection.close();
            }
            connection = null;
        }
    }

    /** A confirm-mode channel that collects returned messages and remembers which exchanges it has declared. */
    private static final class PublisherChannel {
        private final Channel channel;
        private final List<Return> returned = new ArrayList<>();
        private final Set<String> declared = new HashSet<>();

        PublisherChannel(Channel channel) throws IOException {
            this.channel = channel;
            channel.confirmSelect();
            channel.addReturnListener(returned::add);
        }

        /** Destination exchanges are durable topic exchanges; declaring is idempotent and makes a fresh broker work. */
        void declare(String exchange) throws IOException {
            if (!exchange.isEmpty() && declared.add(exchange)) {
                channel.exchangeDeclare(exchange, "topic", true);
            }
        }

        void close() {
            try {
                if (channel.isOpen()) {
                    channel.close();
                }
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debug("Closing publisher channel: {}", e.getMessage());
            }
        }
    }
}
