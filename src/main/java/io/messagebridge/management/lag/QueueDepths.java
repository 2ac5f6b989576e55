package io.messagebridge.management.lag;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.messagebridge.config.RabbitMqSettings;

/**
 * The ready messages and consumers of RabbitMQ queues, read by a passive declare (which changes nothing) on a
 * connection of its own, opened on first use with the application's RabbitMQ settings: the routes' connections and
 * their flow control are never involved. A queue that does not exist is left out (RabbitMQ closes the channel, the
 * next queue gets a new one); a connection failure fails the whole sample and the next one reconnects.
 */
final class QueueDepths implements AutoCloseable {

    private final RabbitMqSettings settings;
    private Connection connection;
    private Channel channel;

    QueueDepths(RabbitMqSettings settings) {
        this.settings = settings;
    }

    Map<String, Backlog.QueueDepth> sample(List<String> queues) {
        Map<String, Backlog.QueueDepth> depths = new HashMap<>();
        for (String queue : queues) {
            try {
                AMQP.Queue.DeclareOk declared = channel().queueDeclarePassive(queue);
                depths.put(queue, new Backlog.QueueDepth(declared.getMessageCount(), declared.getConsumerCount()));
            } catch (IOException e) {
                if (connection == null || !connection.isOpen()) {
                    close();
                    throw new IllegalStateException(e);
                }
                // 404: this queue is missing (not declared yet, or deleted); its channel is closed
                channel = null;
            }
        }
        return depths;
    }

    private Channel channel() throws IOException {
        if (connection == null || !connection.isOpen()) {
            close();
            try {
                connection = settings.clientConnectionFactory().newConnection("rabbitmq-kafka-bridge-lag");
            } catch (TimeoutException e) {
                throw new IOException(e);
            }
        }
        if (channel == null || !channel.isOpen()) {
            channel = connection.createChannel();
        }
        return channel;
    }

    @Override
    public void close() {
        channel = null;
        if (connection != null) {
            // closes an open connection, and never throws for one that is closed or unreachable
            connection.abort(5_000);
            connection = null;
        }
    }
}
