package io.messagebridge.outputs;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Return;
import io.messagebridge.failures.UnroutableMessageException;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The application's publishing connection to RabbitMQ and its pool of {@link ConfirmChannel}s: every RabbitMQ write
 * of the application (routes, bridges, dead letters) is published mandatory on one of them and counts only once
 * confirmed. The connection opens on first use and again after it was lost.
 */
public final class ConfirmChannels extends ServiceSupport {

    /** The name it is bound under in the registry. */
    public static final String BEAN = "rabbitConfirmChannels";

    private final ConnectionFactory connectionFactory;
    private final BlockingQueue<ConfirmChannel> idle = new LinkedBlockingQueue<>();
    private Connection connection;

    public ConfirmChannels(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    public ConfirmChannel borrow() throws IOException, TimeoutException {
        ConfirmChannel channel = idle.poll();
        while (channel != null && !channel.isOpen()) {
            channel = idle.poll();
        }
        return channel != null ? channel : new ConfirmChannel(connection().createChannel());
    }

    /** A channel whose last wait for confirms succeeded goes back to the pool; any other is closed. */
    public void release(ConfirmChannel channel, boolean healthy) {
        if (healthy && channel.isOpen() && isRunAllowed()) {
            idle.offer(channel);
        } else {
            channel.close();
        }
    }

    /**
     * Publishes one message and waits for its confirm; throws {@link UnroutableMessageException} if RabbitMQ returned
     * it, and whatever the channel threw if it was nacked, timed out or lost.
     */
    public void publishConfirmed(OutgoingRabbitMessage message, long confirmTimeoutMillis)
            throws IOException, InterruptedException, TimeoutException {
        List<Return> returned = publishAll(List.of(message), confirmTimeoutMillis);
        if (!returned.isEmpty()) {
            throw UnroutableMessageException.of(returned.get(0));
        }
    }

    /**
     * Publishes messages in order on one channel and waits once for all their confirms; returns what RabbitMQ
     * returned as unroutable, and throws whatever the channel threw if any was nacked, timed out or lost.
     */
    public List<Return> publishAll(List<OutgoingRabbitMessage> messages, long confirmTimeoutMillis)
            throws IOException, InterruptedException, TimeoutException {
        ConfirmChannel channel = borrow();
        boolean healthy = false;
        try {
            for (OutgoingRabbitMessage message : messages) {
                message.publishOn(channel);
            }
            List<Return> returned = channel.awaitConfirms(confirmTimeoutMillis);
            healthy = true;
            return returned;
        } finally {
            release(channel, healthy);
        }
    }

    /** Fails with RabbitMQ's NOT_FOUND when there is no such exchange (publishing to it would close the channel). */
    public void checkExchange(String exchange) throws IOException, TimeoutException {
        try (Channel channel = connection().createChannel()) {
            channel.exchangeDeclarePassive(exchange);
        }
    }

    /** Declares a durable queue and binds it (for a dead-letter queue that was deleted while the application ran). */
    public void declareBoundQueue(String queue, String exchange, String exchangeType, String routingKey)
            throws IOException, TimeoutException {
        try (Channel channel = connection().createChannel()) {
            channel.exchangeDeclare(exchange, exchangeType, true);
            channel.queueDeclare(queue, true, false, false, null);
            channel.queueBind(queue, exchange, routingKey);
        }
    }

    private synchronized Connection connection() throws IOException, TimeoutException {
        if (connection == null || !connection.isOpen()) {
            connection = connectionFactory.newConnection("rabbitmq-kafka-bridge publisher");
        }
        return connection;
    }

    @Override
    protected void doStop() throws Exception {
        idle.forEach(ConfirmChannel::close);
        idle.clear();
        synchronized (this) {
            if (connection != null && connection.isOpen()) {
                connection.close();
            }
            connection = null;
        }
    }
}
