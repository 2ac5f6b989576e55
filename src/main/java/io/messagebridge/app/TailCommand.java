package io.messagebridge.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import io.messagebridge.cli.CommandArguments;
import io.messagebridge.config.KafkaSecurity;
import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import io.messagebridge.core.BridgeHeaders;
import io.messagebridge.outputs.OutgoingRabbitMessage.ExchangeDeclaration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code tail topic <topic> [--from-beginning]} and {@code tail exchange <exchange> <binding key>...}: prints every
 * message as it arrives, a line with where it was, its key and headers, then its body, until Ctrl+C or SIGTERM (exit
 * 0). Uses the application's connection settings and takes nothing from anyone: a topic is read without a consumer
 * group (from its end, or its beginning), so nothing is committed; an exchange through a queue of its own, named by
 * RabbitMQ, exclusive and deleted with the connection. An exchange that does not exist yet is declared as the bridge
 * declares its own (durable, topic), and the tail says so. Bodies go to stdout on purpose: it is the user's own
 * terminal.
 */
final class TailCommand {

    static final List<Commands.Usage> USAGE = List.of(
            new Commands.Usage("tail exchange <exchange> <binding key>...",
                    "prints what the exchange routes with those keys, until Ctrl+C"),
            new Commands.Usage("tail topic <topic> [--from-beginning]",
                    "prints the topic's records as they arrive (or all of them), until Ctrl+C"));

    static final String FROM_BEGINNING = "--from-beginning";
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    /** How long Ctrl+C may wait for a poll to return. */
    private static final Duration POLL = Duration.ofMillis(200);

    private TailCommand() {
    }

    /** What to tail, as parsed from the command line. */
    interface Source {

        /** Prints what arrives until {@code stop} counts down. */
        void tail(Settings settings, CountDownLatch stop) throws Exception;
    }

    static int run(List<String> words) throws Exception {
        Source source = parse(words);
        CountDownLatch stop = new CountDownLatch(1);
        Application.onStopSignal(stop::countDown);
        source.tail(Application.settings(), stop);
        return 0;
    }

    static Source parse(List<String> words) {
        String form = CommandArguments.form(words, "exchange", "topic");
        List<String> rest = words.subList(1, words.size());
        if (form.equals("exchange")) {
            CommandArguments args = CommandArguments.parse(rest, Set.of(), Set.of());
            return new FromExchange(args.positional(0, "<exchange>"), args.positionalsFrom(1, "<binding key>"));
        }
        CommandArguments args = CommandArguments.parse(rest, Set.of(FROM_BEGINNING), Set.of());
        Source source = new FromTopic(args.positional(0, "<topic>"), args.flag(FROM_BEGINNING));
        args.noMoreThan(1);
        return source;
    }

    record FromTopic(String topic, boolean fromBeginning) implements Source {

        @Override
        public void tail(Settings settings, CountDownLatch stop) {
            Map<String, Object> config = new HashMap<>(KafkaSecurity.clientProperties(settings));
            // reading a topic must not create it
            config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            try (KafkaConsumer<String, byte[]> consumer =
                         new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    throw new IllegalArgumentException("no topic '" + topic + "' at "
                            + config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
                }
                consumer.assign(partitions);
                if (fromBeginning) {
                    consumer.seekToBeginning(partitions);
                } else {
                    consumer.seekToEnd(partitions);
                }
                // a seek is lazy: the positions are fixed now, so that whatever is written after the line below shows
                partitions.forEach(consumer::position);
                System.err.println("Tailing topic '" + topic + "' (" + partitions.size() + " partitions) from its "
                        + (fromBeginning ? "beginning" : "end") + "; Ctrl+C to stop");
                while (stop.getCount() > 0) {
                    consumer.poll(POLL).forEach(record -> System.out.println(describe(record)));
                }
            }
        }
    }

    record FromExchange(String exchange, List<String> bindingKeys) implements Source {

        @Override
        public void tail(Settings settings, CountDownLatch stop) throws Exception {
            AtomicReference<String> lost = new AtomicReference<>();
            try (Connection connection = RabbitMqSettings.from(settings).clientConnectionFactory()
                    .newConnection("rabbitmq-kafka-bridge tail")) {
                Channel channel = connection.createChannel();
                if (!exists(connection, exchange)) {
                    // the bridge declares an output exchange only as it first publishes, and unbound that message
                    // would be dead-lettered: declared the same way here, the tail can be bound before it
                    ExchangeDeclaration bridges = ExchangeDeclaration.DURABLE_TOPIC;
                    channel.exchangeDeclare(exchange, bridges.type(), bridges.durable(), bridges.autoDelete(),
                            bridges.arguments());
                    System.err.println("Declared exchange '" + exchange + "' (" + bridges.type()
                            + ", durable) as the bridge does; it did not exist");
                }
                // server-named, exclusive, auto-delete: RabbitMQ removes it with the connection, even after a SIGKILL
                String queue = channel.queueDeclare().getQueue();
                for (String key : bindingKeys) {
                    channel.queueBind(queue, exchange, key);
                }
                channel.addShutdownListener(cause -> {
                    if (!cause.isInitiatedByApplication()) {
                        lost.compareAndSet(null, StartupFailure.describe(cause));
                        stop.countDown();
                    }
                });
                // copies in a queue of the tail's own: nothing to give back, so no acks to settle on the way out
                channel.basicConsume(queue, true, (tag, delivery) -> System.out.println(describe(delivery)), tag -> {
                    lost.compareAndSet(null, "RabbitMQ ended the tail: its queue " + queue + " was deleted");
                    stop.countDown();
                });
                System.err.println("Tailing exchange '" + exchange + "' with binding keys " + String.join(" ", bindingKeys)
                        + " through queue " + queue + "; Ctrl+C to stop");
                stop.await();
            }
            if (lost.get() != null) {
                throw new IllegalStateException(lost.get());
            }
        }
    }

    private static boolean exists(Connection connection, String exchange) throws IOException, TimeoutException {
        try (Channel probe = connection.createChannel()) {
            probe.exchangeDeclarePassive(exchange);
            return true;
        } catch (IOException e) {
            // NOT_FOUND, and RabbitMQ has closed the probe
            return false;
        }
    }

    static String describe(ConsumerRecord<String, byte[]> record) {
        StringBuilder line = new StringBuilder("topic=").append(record.topic())
                .append(" partition=").append(record.partition()).append(" offset=").append(record.offset());
        field(line, "key", record.key());
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return withBody(line, headers, record.value());
    }

    static String describe(Delivery delivery) {
        AMQP.BasicProperties properties = delivery.getProperties();
        StringBuilder line = new StringBuilder("exchange=").append(delivery.getEnvelope().getExchange())
                .append(" routing-key=").append(delivery.getEnvelope().getRoutingKey());
        field(line, BridgeHeaders.MESSAGE_ID, properties.getMessageId());
        field(line, BridgeHeaders.CORRELATION_ID, properties.getCorrelationId());
        field(line, BridgeHeaders.CONTENT_TYPE, properties.getContentType());
        return withBody(line, properties.getHeaders() == null ? Map.of() : properties.getHeaders(), delivery.getBody());
    }

    private static void field(StringBuilder line, String name, String value) {
        if (value != null) {
            line.append(' ').append(name).append('=').append(value);
        }
    }

    private static String withBody(StringBuilder line, Map<String, ?> headers, byte[] body) {
        if (!headers.isEmpty()) {
            line.append(" headers=").append(headers);
        }
        return line.append(System.lineSeparator())
                .append(body == null ? "(no value)" : new String(body, StandardCharsets.UTF_8)).toString();
    }
}
