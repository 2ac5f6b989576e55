package io.messagebridge.errors;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Return;
import io.messagebridge.config.KafkaSecurity;
import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Moves dead letters back to the source their route consumes, oldest first, so the route processes them again
 * (after the cause was fixed). Each dead letter leaves the dead-letter queue or topic only after its source has it
 * (publisher confirm, Kafka ack), so an interrupted replay loses nothing; at worst a message is replayed twice.
 * The error and origin headers the bridge added are removed on the way back.
 */
public final class DeadLetterReplay {

    private static final String[] ADDED_HEADER_PREFIXES = {"x-error-", "x-origin-", "x-death"};
    private static final int BATCH = 500;

    private final ConnectionFactory rabbitMq;
    private final Map<String, Object> kafkaClient;
    private final String queueSuffix;
    private final String topicSuffix;
    private final String replayGroup;
    private final long confirmTimeoutMillis;

    public DeadLetterReplay(ConnectionFactory rabbitMq, Map<String, Object> kafkaClient, String queueSuffix, String topicSuffix,
                            String replayGroup, long confirmTimeoutMillis) {
        this.rabbitMq = rabbitMq;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
        this.kafkaClient = kafkaClient;
        this.queueSuffix = queueSuffix;
        this.topicSuffix = topicSuffix;
        this.replayGroup = replayGroup;
    }

    /** The same brokers and dead-letter names as the running application. */
    public static DeadLetterReplay from(Settings settings) {
        return new DeadLetterReplay(
                RabbitMqSettings.from(settings).clientConnectionFactory(),
                KafkaSecurity.clientProperties(settings),
                settings.text("bridge.dead-letter.queue-suffix"),
                settings.text("bridge.dead-letter.topic-suffix"),
                settings.text("bridge.dead-letter.replay-group"),
                settings.integer("bridge.rabbitmq.confirm-timeout-ms", 1, 3_600_000));
    }

    public String deadLetterQueue(String sourceQueue) {
        return sourceQueue + queueSuffix;
    }

    public String deadLetterTopic(String sourceTopic) {
        return sourceTopic + topicSuffix;
    }

    /** Dead letters waiting in {@code <sourceQueue><suffix>}. */
    public long countQueue(String sourceQueue) throws IOException, TimeoutException {
        try (Connection connection = rabbitMq.newConnection("rabbitmq-kafka-bridge dead-letter count");
             Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(deadLetterQueue(sourceQueue)).getMessageCount();
        }
    }

    /** Publishes up to {@code max} dead letters back to {@code sourceQueue}; returns how many it moved. */
    public int replayQueue(String sourceQueue, int max) throws IOException, TimeoutException, InterruptedException {
        String deadLetters = deadLetterQueue(sourceQueue);
        int moved = 0;
        try (Connection connection = rabbitMq.newConnection("rabbitmq-kafka-bridge dead-letter replay");
             Channel channel = connection.createChannel()) {
            // fails with NOT_FOUND rather than replaying into a queue that is not there
            channel.queueDeclarePassive(sourceQueue);
            List<Return> returned = new ArrayList<>();
            channel.addReturnListener(returned::add);
            channel.confirmSelect();
            while (moved < max) {
                long lastTag = -1;
                int batch = 0;
                GetResponse dead;
                while (batch < Math.min(BATCH, max - moved) && (dead = channel.basicGet(deadLetters, false)) != null) {
                    channel.basicPublish("", sourceQueue, true, withoutAddedHeaders(dead.getProps()), dead.getBody());
                    lastTag = dead.getEnvelope().getDeliveryTag();
                    batch++;
                }
                if (batch == 0) {
                    break;
                }
                // only what the source queue confirmed (and did not return) leaves the dead-letter queue
                channel.waitForConfirmsOrDie(confirmTimeoutMillis);
                if (!returned.isEmpty()) {
                    throw new IOException("queue " + sourceQueue + " refused " + returned.size()
                            + " replayed messages; they stay in " + deadLetters);
                }
                channel.basicAck(lastTag, true);
                moved += batch;
            }
        }
        return moved;
    }

    /** Dead letters in {@code <sourceTopic><suffix>} that have not been replayed yet. */
    public long countTopic(String sourceTopic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, deadLetterTopic(sourceTopic));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
            long count = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata done = committed.get(partition);
                count += ends.get(partition) - (done != null ? done.offset() : begins.get(partition));
            }
            return count;
        }
    }

    /** Produces up to {@code max} dead letters back to {@code sourceTopic}, with their keys; returns how many. */
    public int replayTopic(String sourceTopic, int max) throws InterruptedException, ExecutionException {
        String deadLetters = deadLetterTopic(sourceTopic);
        try (KafkaConsumer<String, byte[]> consumer = consumer(); KafkaProducer<String, byte[]> producer = producer()) {
            List<TopicPartition> partitions = partitions(consumer, deadLetters);
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata done = committed.get(partition);
                if (done == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, done.offset());
                }
            }
            int moved = 0;
            while (moved < max && !caughtUp(consumer, partitions, ends)) {
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                for (ConsumerRecord<String, byte[]> dead : consumer.poll(Duration.ofSeconds(1))) {
                    if (moved + sends.size() >= max) {
                        break;
                    }
                    ProducerRecord<String, byte[]> replay = new ProducerRecord<>(sourceTopic, dead.key(), dead.value());
                    for (Header header : dead.headers()) {
                        if (!isAddedHeader(header.key())) {
                            replay.headers().add(header);
                        }
                    }
                    sends.add(producer.send(replay));
                    next.put(new TopicPartition(dead.topic(), dead.partition()), new OffsetAndMetadata(dead.offset() + 1));
                }
                for (Future<RecordMetadata> send : sends) {
                    send.get();
                }
                // only what the source topic acknowledged counts as replayed
                if (!next.isEmpty()) {
                    consumer.commitSync(next);
                }
                moved += sends.size();
            }
            return moved;
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions,
                                    Map<TopicPartition, Long> ends) {
        return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
    }

    private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, replayGroup,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // a replayed position that retention has removed falls back to the oldest dead letter, not the newest
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, BATCH));
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.putAll(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static AMQP.BasicProperties withoutAddedHeaders(AMQP.BasicProperties properties) {
        Map<String, Object> headers = new HashMap<>();
        if (properties.getHeaders() != null) {
            properties.getHeaders().forEach((name, value) -> {
                if (!isAddedHeader(name)) {
                    headers.put(name, value);
                }
            });
        }
        return properties.builder().headers(headers).build();
    }

    private static boolean isAddedHeader(String name) {
        for (String prefix : ADDED_HEADER_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
