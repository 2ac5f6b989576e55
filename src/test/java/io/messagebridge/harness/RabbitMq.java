package io.messagebridge.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** The local RabbitMQ server (127.0.0.1:5672, guest), seen from a test: publish with confirms, read queues, clean up. */
public final class RabbitMq implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;
    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();

    public RabbitMq() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(System.getProperty("rabbitmq.host", "127.0.0.1"));
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        try {
            connection = factory.newConnection("bridge-tests");
            channel = connection.createChannel();
            channel.confirmSelect();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("RabbitMQ is not reachable at 127.0.0.1:5672 (start it: rabbitmq-server -detached)", e);
        }
    }

    /** A durable queue bound to a durable topic exchange; both are deleted when this helper closes. */
    public void declareBoundQueue(String queue, String exchange, String... bindingKeys) {
        declareBoundQueue(queue, exchange, null, bindingKeys);
    }

    /** Like {@link #declareBoundQueue(String, String, String...)}, with queue arguments (x-queue-type...). */
    public void declareBoundQueue(String queue, String exchange, Map<String, Object> arguments, String... bindingKeys) {
        try {
            channel.exchangeDeclare(exchange, "topic", true);
            channel.queueDeclare(queue, true, false, false, arguments);
            for (String key : bindingKeys) {
                channel.queueBind(queue, exchange, key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        forget(queue, exchange);
    }

    /** Names the application declared, so that they are deleted after the test. */
    public void forget(String queue, String exchange) {
        if (queue != null) {
            queues.add(queue);
        }
        if (exchange != null) {
            exchanges.add(exchange);
        }
    }

    /** Runs {@code rabbitmqctl -q <command> <arguments>} against the local server (stop_app, set_policy ...). */
    public static void ctl(String command, String... arguments) {
        List<String> line = new ArrayList<>(List.of("rabbitmqctl", "-q", command));
        line.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(line).inheritIO().start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the example pipeline declares for these names: deleted when this helper closes. */
    public void forgetPipeline(FlowNames names) {
        forget(names.ordersQueue(), names.ordersExchange());
        forget(names.auditQueue(), names.deadLetterExchange());
        forget(names.ordersQueue() + ".dlq", null);
        forget(names.auditQueue() + ".dlq", null);
        forget(names.orderCancellationsQueue(), null);
        forget(names.orderCancellationsQueue() + ".dlq", null);
        forget(null, names.alertsExchange());
    }

    public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        try {
            channel.basicPublish(exchange, routingKey, true, properties, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void awaitConfirms() {
        try {
            channel.waitForConfirmsOrDie(30_000);
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("RabbitMQ did not confirm the test's messages", e);
        }
    }

    public static AMQP.BasicProperties persistentJson(String messageId, String correlationId, Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .messageId(messageId)
                .correlationId(correlationId)
                .timestamp(new java.util.Date())
                .headers(headers)
                .build();
    }

    /** Takes (and acks) messages from a queue until at least {@code expected} arrived. */
    public List<GetResponse> drain(String queue, int expected, Duration timeout) {
        List<GetResponse> received = new ArrayList<>();
        try {
            Awaitility.await(expected + " messages in " + queue)
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        GetResponse response;
                        while ((response = channel.basicGet(queue, true)) != null) {
                            received.add(response);
                        }
                        return received.size() >= expected;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(received.size() + " of " + expected + " messages arrived in " + queue
                    + " within " + timeout, e);
        }
        return received;
    }

    /** Takes (and acks) what is ready in a queue now, up to {@code max} messages, without waiting. */
    public List<GetResponse> takeReady(String queue, int max) {
        List<GetResponse> taken = new ArrayList<>();
        try {
            GetResponse response;
            while (taken.size() < max && (response = channel.basicGet(queue, true)) != null) {
                taken.add(response);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return taken;
    }

    /**
     * Subscribes to a queue on a channel of its own; each delivery is handed over, then acked, so nothing counts as
     * received that the broker could still take back.
     */
    public void subscribe(String queue, Consumer<Delivery> handler) {
        try {
            Channel consumer = connection.createChannel();
            consumer.basicQos(5_000);
            consumer.basicConsume(queue, false, (tag, delivery) -> {
                handler.accept(delivery);
                consumer.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            }, tag -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Subscribes to a queue on a channel of its own, acknowledgement mode auto: RabbitMQ forgets each message as it
     * sends it. For a measurement's own queue, where what the watcher costs RabbitMQ should be as little as it can be.
     */
    public void subscribeWithoutAcks(String queue, Consumer<Delivery> handler) {
        try {
            connection.createChannel().basicConsume(queue, true, (tag, delivery) -> handler.accept(delivery), tag -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a queue now, as an operator might while the application runs. */
    public void deleteQueue(String queue) {
        try {
            channel.queueDelete(queue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    /** Messages currently ready in a queue (0 if it does not exist). */
    public long messageCount(String queue) {
        AMQP.Queue.DeclareOk declared = declarePassive(queue);
        return declared == null ? 0 : declared.getMessageCount();
    }

    public boolean queueExists(String queue) {
        return declarePassive(queue) != null;
    }

    /** The queue's state, or null when it does not exist (the broker then closes the probe's channel). */
    private AMQP.Queue.DeclareOk declarePassive(String queue) {
        try (Channel probe = connection.createChannel()) {
            return probe.queueDeclarePassive(queue);
        } catch (IOException e) {
            return null;
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes the connection without cleaning up, for when the broker went away under it. */
    public void closeQuietly() {
        try {
            connection.abort(1_000);
        } catch (RuntimeException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        try (Channel cleanup = connection.createChannel()) {
            for (String queue : queues) {
                cleanup.queueDelete(queue);
            }
            for (String exchange : exchanges) {
                cleanup.exchangeDelete(exchange);
            }
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cleaning up RabbitMQ test objects", e);
        } finally {
            try {
                connection.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
