package io.messagebridge.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import io.messagebridge.cli.UsageException;
import io.messagebridge.cli.CommandArguments;
import io.messagebridge.config.KafkaSecurity;
import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import io.messagebridge.core.BridgeHeaders;
import io.messagebridge.failures.UnroutableMessageException;
import io.messagebridge.outputs.ConfirmChannels;
import io.messagebridge.outputs.OutgoingRabbitMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code send exchange <exchange> <routing key> <body>} and {@code send topic <topic> [--key KEY] <body>}: sends one
 * JSON message with the application's connection settings, at least once as the bridge does: to RabbitMQ persistent
 * and mandatory, done once confirmed (exit 1 and one line if RabbitMQ returns it as unroutable); to Kafka with
 * acks=all, done once acknowledged. The body is the text given, {@code @file}, or {@code -} for stdin. The message-id
 * ({@code --message-id}, a random UUID otherwise) goes where the bridge looks for one: the AMQP property, the Kafka
 * header {@value BridgeHeaders#MESSAGE_ID}. Prints one line saying where it went, never the body.
 */
final class SendCommand {

    static final List<Commands.Usage> USAGE = List.of(
            new Commands.Usage("send exchange <exchange> <routing key> [--message-id ID] <body|@file|->",
                    "publishes one persistent message, mandatory, and waits for RabbitMQ's confirm"),
            new Commands.Usage("send topic <topic> [--key KEY] [--message-id ID] <body|@file|->",
                    "writes one record and waits for all in-sync replicas (acks=all)"));

    static final String KEY = "--key";
    static final String MESSAGE_ID = "--message-id";
    private static final String BODY = "<body|@file|->";
    private static final String JSON = "application/json";

    private SendCommand() {
    }

    static int run(List<String> words) throws Exception {
        Message message = parse(words);
        byte[] body = read(message.body());
        try {
            System.out.println(message.sendWith(Application.settings(), body));
            return 0;
        } catch (UnroutableMessageException e) {
            System.err.println("Not delivered: " + e.getMessage());
            return 1;
        }
    }

    /** One message to send: where to, its id, and its body as given (text, {@code @file} or {@code -}). */
    interface Message {

        String body();

        /** Sends it and returns the line that says where it went. */
        String sendWith(Settings settings, byte[] body) throws Exception;
    }

    record ToExchange(String exchange, String routingKey, String messageId, String body) implements Message {

        @Override
        public String sendWith(Settings settings, byte[] body) throws Exception {
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .deliveryMode(2).contentType(JSON).messageId(messageId).timestamp(new Date()).build();
            try (ConfirmChannels channels = new ConfirmChannels(
                    RabbitMqSettings.from(settings).clientConnectionFactory())) {
                channels.start();
                // no declaration: an exchange that is not there is an error, not one this command creates
                channels.publishConfirmed(new OutgoingRabbitMessage(exchange, routingKey, properties, body, null),
                        RabbitMqSettings.confirmTimeoutMillis(settings));
            }
            return "Sent message " + messageId + " to exchange '" + exchange + "' with routing key '" + routingKey
                    + "' (persistent, confirmed)";
        }
    }

    record ToTopic(String topic, String key, String messageId, String body) implements Message {

        @Override
        public String sendWith(Settings settings, byte[] body) throws Exception {
            Map<String, Object> config = KafkaSecurity.durableProducerProperties(KafkaSecurity.clientProperties(settings));
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, body);
            record.headers().add(BridgeHeaders.MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8));
            record.headers().add(BridgeHeaders.CONTENT_TYPE, JSON.getBytes(StandardCharsets.UTF_8));
            try (KafkaProducer<String, byte[]> producer =
                         new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
                RecordMetadata sent = producer.send(record).get();
                return "Sent message " + messageId + " to topic '" + topic + "'"
                        + (key == null ? " without a key" : " with key '" + key + "'")
                        + ", partition " + sent.partition() + " offset " + sent.offset() + " (acks=all)";
            }
        }
    }

    static Message parse(List<String> words) {
        String form = CommandArguments.form(words, "exchange", "topic");
        List<String> rest = words.subList(1, words.size());
        if (form.equals("exchange")) {
            CommandArguments args = CommandArguments.parse(rest, Set.of(), Set.of(MESSAGE_ID));
            Message message = new ToExchange(args.positional(0, "<exchange>"), args.positional(1, "<routing key>"),
                    messageId(args), args.positional(2, BODY));
            args.noMoreThan(3);
            return message;
        }
        CommandArguments args = CommandArguments.parse(rest, Set.of(), Set.of(KEY, MESSAGE_ID));
        Message message = new ToTopic(args.positional(0, "<topic>"), args.value(KEY, null), messageId(args),
                args.positional(1, BODY));
        args.noMoreThan(2);
        return message;
    }

    private static String messageId(CommandArguments args) {
        return args.value(MESSAGE_ID, UUID.randomUUID().toString());
    }

    static byte[] read(String body) throws IOException {
        if (body.equals("-")) {
            return System.in.readAllBytes();
        }
        if (body.startsWith("@")) {
            Path file = Path.of(body.substring(1));
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new UsageException("no file " + file.toAbsolutePath());
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
