package io.messagebridge.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Return;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a batch's {@link RabbitOutbox} to RabbitMQ the way a hand-written client would: every message on one
 * channel, persistent and mandatory, then one wait for all publisher confirms. Only when this returns does the batch
 * complete (and its Kafka offsets get committed). If RabbitMQ nacks, times out or drops the connection, the whole
 * batch fails and is published again (at least once). Messages RabbitMQ returns as unroutable are sent to the
 * dead-letter route with the reason, instead of being dropped by the broker.
 */
public final class RabbitBatchPublisher extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitBatchPublisher.class);

    private final ConnectionFactory connectionFactory;
    private final long confirmTimeoutMillis;
    private final String deadLetterUri;
    private final BlockingQueue<PublisherChannel> idle = new LinkedBlockingQueue<>();
    private CamelContext camelContext;
    private ProducerTemplate deadLetters;
    private Connection connection;

    public RabbitBatchPublisher(ConnectionFactory connectionFactory, long confirmTimeoutMillis, String deadLetterUri) {
        this.connectionFactory = connectionFactory;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
        this.deadLetterUri = deadLetterUri;
    }

    @Override
    public void process(Exchange batch) throws Exception {
        List<OutgoingAmqpMessage> messages = RabbitOutbox.messages(batch);
        if (messages.isEmpty()) {
            return;
        }
        for (Return returned : publish(messages)) {
            deadLetter(batch, messages, returned);
        }
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

    private void deadLetter(Exchange batch, List<OutgoingAmqpMessage> messages, Return returned) {
        OutgoingAmqpMessage source = messages.stream()
                .filter(m -> m.routingKey().equals(returned.getRoutingKey()) && Arrays.equals(m.body(), returned.getBody()))
                .findFirst()
                .orElseThrow();
        Exchange deadLetter = batch.copy();
        deadLetter.setIn(source.source().copy());
        deadLetter.setProperty(ExchangePropertyKey.EXCEPTION_CAUGHT,
                new UnroutableMessageException(returned.getExchange(), returned.getRoutingKey(), returned.getReplyText()));
        deadLetter.setProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, batch.getFromRouteId());
        deadLetters.send(deadLetterUri, deadLetter);
        if (deadLetter.getException() != null) {
            throw new IllegalStateException("could not dead-letter an unroutable message", deadLetter.getException());
        }
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
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    protected void doStart() throws Exception {
        deadLetters = camelContext.createProducerTemplate();
        deadLetters.start();
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
        if (deadLetters != null) {
            deadLetters.stop();
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
