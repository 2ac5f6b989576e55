package io.messagebridge.outputs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RabbitMQ channel in confirm mode on which every message is published mandatory: {@link #awaitConfirms} waits
 * for the broker's confirms of everything published since the last wait and gives back the messages RabbitMQ
 * returned as unroutable (it sends basic.return before the confirm of the same message, so the list is complete
 * then). A nack, a timeout or a closed channel throws, and the channel is not to be used again.
 * <p>
 * One thread at a time: a channel is borrowed from {@link ConfirmChannels}, used, and given back.
 */
public final class ConfirmChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ConfirmChannel.class);

    private final Channel channel;
    // the return listener runs on the connection's thread
    private final List<Return> returned = new ArrayList<>();
    private final Set<String> declared = new HashSet<>();

    ConfirmChannel(Channel channel) throws IOException {
        this.channel = channel;
        channel.confirmSelect();
        channel.addReturnListener(message -> {
            synchronized (returned) {
                returned.add(message);
            }
        });
    }

    /** Declares an exchange the first time this channel publishes to it (idempotent on the broker). */
    public void declareExchange(String exchange, String type, boolean durable, boolean autoDelete,
                                Map<String, Object> arguments) throws IOException {
        if (!exchange.isEmpty() && declared.add(exchange)) {
            channel.exchangeDeclare(exchange, type, durable, autoDelete, arguments);
        }
    }

    public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
            throws IOException {
        channel.basicPublish(exchange, routingKey, true, properties, body);
    }

    /** Waits for every confirm outstanding; returns (and forgets) what RabbitMQ returned as unroutable meanwhile. */
    public List<Return> awaitConfirms(long timeoutMillis) throws IOException, InterruptedException, TimeoutException {
        channel.waitForConfirmsOrDie(timeoutMillis);
        synchronized (returned) {
            List<Return> answer = new ArrayList<>(returned);
            returned.clear();
            return answer;
        }
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debug("Closing a publisher channel: {}", e.getMessage());
        }
    }

    /**
     * Which of {@code candidates} RabbitMQ returned: a return carries no publish sequence number, so it is matched on
     * what identifies the message (routing key, message and correlation id, body), and each candidate only once.
     */
    public static <T> T takeReturned(List<T> candidates, Return returned, Function<T, OutgoingRabbitMessage> view) {
        for (Iterator<T> it = candidates.iterator(); it.hasNext(); ) {
            T candidate = it.next();
            OutgoingRabbitMessage message = view.apply(candidate);
            if (message.routingKey().equals(returned.getRoutingKey())
                    && message.exchange().equals(returned.getExchange())
                    && Objects.equals(message.properties().getMessageId(), returned.getProperties().getMessageId())
                    && Objects.equals(message.properties().getCorrelationId(),
                            returned.getProperties().getCorrelationId())
                    && Arrays.equals(message.body(), returned.getBody())) {
                it.remove();
                return candidate;
            }
        }
        throw new IllegalStateException("RabbitMQ returned a message that was not published on this channel");
    }
}
