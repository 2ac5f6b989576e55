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
import io.messagebridge.config.KafkaSecurity;
import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 * What a source queue refuses stays in the dead-letter queue, alone: the rest of its batch is replayed, and the replay
 * stops there with the reason. The error and origin headers the bridge added are removed on the way back; instead a
 * Kafka record names the route that is to handle it ({@value DeadLetterHeaders#REPLAY_ROUTE}), and a RabbitMQ message
 * the exchange and routing key it first came through ({@value DeadLetterHeaders#REPLAY_EXCHANGE}, {@value
 * DeadLetterHeaders#REPLAY_ROUTING_KEY}). One replay of a dead-letter destination at a time ({@link ReplayLock}).
 */
public final class DeadLetterReplay {

    private static final String[] ADDED_HEADER_PREFIXES = {"x-error-", "x-origin-", DeadLetterHeaders.REPLAY_PREFIX, "x-death"};
    private static final int BATCH = 500;

    private final ConnectionFactory rabbitMq;
    private final Map<String, Object> kafkaClient;
    private final String queueSuffix;
    private final String topicSuffix;
    private final String replayGroup;
    private final String lockPrefix;
    private final long confirmTimeoutMillis;

    public DeadLetterReplay(ConnectionFactory rabbitMq, Map<String, Object> kafkaClient, String queueSuffix, String topicSuffix,
                            String replayGroup, String lockPrefix, long confirmTimeoutMillis) {
        this.rabbitMq = rabbitMq;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
        this.kafkaClient = kafkaClient;
        this.queueSuffix = queueSuffix;
        this.topicSuffix = topicSuffix;
        this.replayGroup = replayGroup;
        this.lockPrefix = lockPrefix;
    }

    /** The same brokers and dead-letter names as the running application. */
    public static DeadLetterReplay from(Settings settings) {
        return new DeadLetterReplay(
                RabbitMqSettings.from(settings).clientConnectionFactory(),
                KafkaSecurity.clientProperties(settings),
                settings.text("bridge.dead-letter.queue-suffix"),
                settings.text("bridge.dead-letter.topic-suffix"),
                settings.text("bridge.dead-letter.replay-group"),
                settings.text("bridge.dead-letter.replay-lock-prefix"),
                RabbitMqSettings.confirmTimeoutMillis(settings));
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

    /**
     * Publishes up to {@code max} dead letters back to {@code sourceQueue}; returns how many it moved. Fails, after
     * moving the others, if the queue refused any.
     */
    public int replayQueue(String sourceQueue, int max) throws IOException, TimeoutException, InterruptedException {
        String deadLetters = deadLetterQueue(sourceQueue);
        int moved = 0;
        try (ReplayLock lock = ReplayLock.take(rabbitMq, lockPrefix, deadLetters);
             Channel channel = lock.connection().createChannel()) {
            // fails with NOT_FOUND rather than replaying into a queue that is not there
            channel.queueDeclarePassive(sourceQueue);
            QueueRepublisher republisher = new QueueRepublisher(channel, confirmTimeoutMillis);
            while (moved < max) {
                List<Long> tags = new ArrayList<>();
                GetResponse dead;
                while (tags.size() < Math.min(BATCH, max - moved) && (dead = channel.basicGet(deadLetters, false)) != null) {
                    republisher.publish(dead, sourceQueue, asReplayed(dead.getProps()));
                    tags.add(dead.getEnvelope().getDeliveryTag());
                }
                if (tags.isEmpty()) {
                    break;
                }
                // only what the source queue confirmed leaves the dead-letter queue
                QueueRepublisher.Refusals refused = republisher.awaitAnswers();
                for (long tag : tags) {
                    if (refused.deliveryTags().contains(tag)) {
                        channel.basicNack(tag, false, true);
                    } else {
                        channel.basicAck(tag, false);
                    }
                }
                moved += tags.size() - refused.deliveryTags().size();
                if (!refused.isEmpty()) {
                    // the same dead letters would come back in the next batch, and be refused again
                    throw new IllegalStateException("replayed " + moved + " dead letters from " + deadLetters + " to "
                            + sourceQueue + "; " + sourceQueue + " refused " + refused.deliveryTags().size() + " ("
                            + String.join(", ", refused.reasons()) + "), which stay in " + deadLetters);
                }
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
    public int replayTopic(String sourceTopic, int max)
            throws InterruptedException, ExecutionException, IOException, TimeoutException {
        String deadLetters = deadLetterTopic(sourceTopic);
        try (ReplayLock lock = ReplayLock.take(rabbitMq, lockPrefix, deadLetters);
             KafkaConsumer<String, byte[]> consumer = consumer(); KafkaProducer<String, byte[]> producer = producer()) {
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
                ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofSeconds(1));
                lock.check();
                for (ConsumerRecord<String, byte[]> dead : polled) {
                    if (moved + sends.size() >= max) {
                        break;
                    }
                    sends.add(producer.send(asReplayed(dead, sourceTopic)));
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
        return new KafkaProducer<>(KafkaSecurity.durableProducerProperties(kafkaClient), new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * The dead letter as its source topic gets it back, meant for the route that consumed it (dead letters written
     * before they named it name only the route that failed, which for a pattern route is the one its source calls).
     */
    private static ProducerRecord<String, byte[]> asReplayed(ConsumerRecord<String, byte[]> dead, String sourceTopic) {
        ProducerRecord<String, byte[]> replay = new ProducerRecord<>(sourceTopic, dead.key(), dead.value());
        for (Header header : dead.headers()) {
            if (!isAddedHeader(header.key())) {
                replay.headers().add(header);
            }
        }
        Header target = dead.headers().lastHeader(DeadLetterHeaders.ORIGIN_ROUTE);
        if (target == null) {
            target = dead.headers().lastHeader(DeadLetterHeaders.ERROR_ROUTE);
        }
        if (target != null) {
            replay.headers().add(DeadLetterHeaders.REPLAY_ROUTE, target.value());
        }
        return replay;
    }

    /** The dead letter's properties as its source queue gets it back, with the exchange and routing key it came through. */
    private static AMQP.BasicProperties asReplayed(AMQP.BasicProperties properties) {
        Map<String, Object> headers = new HashMap<>();
        if (properties.getHeaders() != null) {
            properties.getHeaders().forEach((name, value) -> {
                if (!isAddedHeader(name)) {
                    headers.put(name, value);
                }
            });
            Object exchange = properties.getHeaders().get(DeadLetterHeaders.ORIGIN_EXCHANGE);
            Object routingKey = properties.getHeaders().get(DeadLetterHeaders.ORIGIN_ROUTING_KEY);
            if (exchange != null && routingKey != null) {
                headers.put(DeadLetterHeaders.REPLAY_EXCHANGE, exchange.toString());
                headers.put(DeadLetterHeaders.REPLAY_ROUTING_KEY, routingKey.toString());
            }
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
