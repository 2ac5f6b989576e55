package io.messagebridge.errors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * One replay of a dead-letter destination at a time, whoever runs it (command line, JMX, another instance): a replay
 * holds the exclusive, auto-delete RabbitMQ queue {@code <prefix><destination>} on a connection of its own. RabbitMQ
 * refuses that queue to any other connection while it is held, and deletes it when the holder's connection closes,
 * however the replay ends (a crash included), so a lock never outlives its replay.
 */
final class ReplayLock implements AutoCloseable {

    /** RabbitMQ's limit for a queue name, in bytes. */
    private static final int MAX_NAME_BYTES = 255;

    private final Connection connection;
    private final String destination;

    private ReplayLock(Connection connection, String destination) {
        this.connection = connection;
        this.destination = destination;
    }

    /** Takes the lock, or fails with "a replay of {@code destination} is already running". */
    static ReplayLock take(ConnectionFactory factory, String prefix, String destination)
            throws IOException, TimeoutException {
        Connection connection = factory.newConnection("rabbitmq-kafka-bridge dead-letter replay of " + destination);
        try {
            // a refused declaration closes its channel: it gets one of its own
            Channel channel = connection.createChannel();
            channel.queueDeclare(name(prefix, destination), false, true, true, null);
            return new ReplayLock(connection, destination);
        } catch (IOException e) {
            connection.abort();
            if (e.getCause() instanceof ShutdownSignalException signal
                    && signal.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == AMQP.RESOURCE_LOCKED) {
                throw new IllegalStateException("a replay of " + destination + " is already running");
            }
            throw e;
        }
    }

    /** The connection that holds the lock: a replay that works on it stops when the lock is lost. */
    Connection connection() {
        return connection;
    }

    /** Before each step of a replay that works elsewhere (Kafka): it must not go on once another one could start. */
    void check() {
        if (!connection.isOpen()) {
            throw new IllegalStateException("the replay of " + destination + " lost its lock (RabbitMQ connection "
                    + "closed); what it has not replayed stays a dead letter");
        }
    }

    @Override
    public void close() {
        connection.abort();
    }

    private static String name(String prefix, String destination) {
        String name = prefix + destination;
        return name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES ? name
                : prefix + UUID.nameUUIDFromBytes(destination.getBytes(StandardCharsets.UTF_8));
    }
}
