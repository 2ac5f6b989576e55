package io.messagebridge.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Return;
import io.messagebridge.mapping.InvalidMessageException;
import io.messagebridge.mapping.JsonFields;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The baseline of the benchmark: the bridge a team would write by hand with amqp-client and kafka-clients alone, doing
 * the same work with the same guarantees as the application, and nothing else.
 * <ul>
 * <li>{@code rabbitmq-to-kafka}: manual acks with {@code prefetch} in flight; a delivery is acked (several at once,
 * with {@code multiple=true}) only after the Kafka producer (acks=all, idempotent) acknowledged its record and every
 * earlier delivery's. The key is read from the JSON body with the application's own reader ({@code JsonFields}),
 * AMQP properties and headers become Kafka headers.</li>
 * <li>{@code kafka-to-rabbitmq}: each poll is published persistent and mandatory on one confirm-mode channel, the
 * routing key taken from the JSON body; offsets are committed only after all confirms arrived.</li>
 * </ul>
 * Run by {@link Benchmark} in its own JVM, configured with system properties ({@code raw.*}); prints
 * {@code READY} once it consumes.
 */
public final class RawBridge {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RawBridge() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM: stop consuming, let what is in flight be delivered and acked or committed, then exit
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            switch (args[0]) {
                case "rabbitmq-to-kafka" -> rabbitMqToKafka(stop);
                case "kafka-to-rabbitmq" -> kafkaToRabbitMq(stop);
                default -> throw new IllegalArgumentException("direction: rabbitmq-to-kafka or kafka-to-rabbitmq");
            }
        } finally {
            stopped.countDown();
        }
    }

    private static void rabbitMqToKafka(CountDownLatch stop) throws Exception {
        String queue = setting("queue");
        String topic = setting("topic");
        String keyField = setting("key-field");
        int prefetch = Integer.parseInt(setting("prefetch"));
        try (KafkaProducer<String, byte[]> producer = producer();
             Connection connection = rabbitMq().newConnection("raw-bridge")) {
            Channel channel = connection.createChannel();
            channel.basicQos(prefetch);
            Acks acks = new Acks(channel, Integer.parseInt(setting("ack-batch")));
            String consumerTag = channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    long deliveryTag = envelope.getDeliveryTag();
                    acks.delivered(deliveryTag);
                    ProducerRecord<String, byte[]> record;
                    try {
                        // the application's own key reader: both bridges do the same work per message
                        record = new ProducerRecord<>(topic, JsonFields.requiredText(body, keyField), body);
                    } catch (InvalidMessageException notJson) {
                        acks.failed(deliveryTag);
                        return;
                    }
                    kafkaHeaders(record, envelope, properties);
                    producer.send(record, (metadata, e) -> {
                        if (e == null) {
                            acks.completed(deliveryTag);
                        } else {
                            acks.failed(deliveryTag);
                        }
                    });
                }
            });
            System.out.println("READY");
            stop.await();
            channel.basicCancel(consumerTag);
            producer.flush();
        }
    }

    private static void kafkaHeaders(ProducerRecord<String, byte[]> record, Envelope envelope,
            AMQP.BasicProperties properties) {
        add(record, "message-id", properties.getMessageId());
        add(record, "correlation-id", properties.getCorrelationId());
        add(record, "content-type", properties.getContentType());
        add(record, "timestamp", properties.getTimestamp() == null ? null
                : Long.toString(properties.getTimestamp().getTime()));
        add(record, "rabbitmq-exchange", envelope.getExchange());
        add(record, "rabbitmq-routing-key", envelope.getRoutingKey());
        if (properties.getHeaders() != null) {
            properties.getHeaders().forEach((name, value) -> add(record, name, value == null ? null : value.toString()));
        }
    }

    private static void add(ProducerRecord<String, byte[]> record, String name, String value) {
        if (value != null) {
            record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Acks deliveries in order: the lowest tag still waiting for Kafka holds back the acks of all later ones, and the
     * acks go out {@code batch} at a time with {@code multiple=true} (or at once when nothing is waiting any more).
     * Simpler than the application's window on purpose, as a hand-written bridge would be: it has no retries, so no
     * delivery is held back for long.
     */
    private static final class Acks {
        private final Channel channel;
        private final int batch;
        private final TreeSet<Long> waiting = new TreeSet<>();
        private long highestDelivered;
        private long acked;

        Acks(Channel channel, int batch) {
            this.channel = channel;
            this.batch = batch;
        }

        synchronized void delivered(long tag) {
            waiting.add(tag);
            highestDelivered = tag;
        }

        synchronized void completed(long tag) {
            waiting.remove(tag);
            long upTo = waiting.isEmpty() ? highestDelivered : waiting.first() - 1;
            if (upTo > acked && (waiting.isEmpty() || upTo - acked >= batch)) {
                try {
                    channel.basicAck(upTo, true);
                    acked = upTo;
                } catch (IOException | RuntimeException e) {
                    // the channel is gone: RabbitMQ redelivers everything unacked
                }
            }
        }

        synchronized void failed(long tag) {
            try {
                channel.basicNack(tag, false, true);
            } catch (IOException | RuntimeException e) {
                // the channel is gone: RabbitMQ redelivers everything unacked
            }
            completed(tag);
        }
    }

    private static void kafkaToRabbitMq(CountDownLatch stop) throws Exception {
        String topic = setting("topic");
        String exchange = setting("exchange");
        String prefix = setting("routing-key-prefix");
        String statusField = setting("status-field");
        long confirmTimeout = Long.parseLong(setting("confirm-timeout-ms"));
        Duration pollTimeout = Duration.ofMillis(Long.parseLong(setting("poll-timeout-ms")));
        try (KafkaConsumer<String, byte[]> consumer = consumer();
             Connection connection = rabbitMq().newConnection("raw-bridge")) {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            channel.exchangeDeclare(exchange, "topic", true);
            List<Return> returned = new ArrayList<>();
            channel.addReturnListener(returned::add);
            consumer.subscribe(List.of(topic));
            System.out.println("READY");
            while (stop.getCount() > 0) {
                ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
                if (records.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    String status = JSON.readTree(record.value()).path(statusField).asText("");
                    channel.basicPublish(exchange, prefix + status.toLowerCase(Locale.ROOT), true,
                            amqpProperties(record), record.value());
                    offsets.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                channel.waitForConfirmsOrDie(confirmTimeout);
                if (!returned.isEmpty()) {
                    throw new IllegalStateException(returned.size() + " unroutable messages");
                }
                consumer.commitSync(offsets);
            }
        }
    }

    private static AMQP.BasicProperties amqpProperties(ConsumerRecord<String, byte[]> record) {
        Map<String, Object> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        Object messageId = headers.remove("message-id");
        Object contentType = headers.remove("content-type");
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType(contentType != null ? contentType.toString() : "application/json")
                .messageId(messageId != null ? messageId.toString() : null)
                .correlationId(record.key())
                .timestamp(new Date(record.timestamp()))
                .headers(headers)
                .build();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, setting("kafka"));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, setting("max-in-flight"));
        p.put(ProducerConfig.LINGER_MS_CONFIG, setting("linger-ms"));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, setting("batch-size"));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, setting("compression"));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, setting("kafka"));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, setting("group"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, setting("max-poll-records"));
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static ConnectionFactory rabbitMq() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(setting("rabbitmq-host"));
        factory.setPort(Integer.parseInt(setting("rabbitmq-port")));
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory;
    }

    private static String setting(String name) {
        String value = System.getProperty("raw." + name);
        if (value == null) {
            throw new IllegalArgumentException("missing -Draw." + name);
        }
        return value;
    }
}
