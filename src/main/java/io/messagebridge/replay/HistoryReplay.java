package io.messagebridge.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.messagebridge.config.KafkaSecurity;
import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Sends a fixed stretch of a topic's history ({@link RangePlan}, computed by {@link #prepare}) to an exchange or a
 * topic, and stops at its end. It reads by assignment, without a consumer group, so it commits nothing and disturbs no
 * running route. Batches of up to {@code bridge.replay.batch-size} records go out one after the other, each in the
 * partitions' order, and count as done only once the destination confirmed all of them ({@link Destination}): so
 * records of one key arrive in their partition's order, and a replay stopped (or failed) between two batches resumes
 * from {@link Progress#next()} with nothing lost (at least once). A stop request ends it after the current batch.
 */
public final class HistoryReplay {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final Settings settings;
    private final ReplayOptions options;
    private final String routingKey;
    private final Map<String, Object> kafkaClient;
    private final RangePlan plan;
    private final Progress progress;

    /** What a replay did: records sent per partition, those its destination did not take, and whether it was stopped. */
    public record Outcome(Map<Integer, Long> sent, List<Undelivered> undelivered, boolean stopped) {
    }

    private HistoryReplay(Settings settings, ReplayOptions options, String routingKey, RangePlan plan) {
        this.settings = settings;
        this.options = options;
        this.routingKey = routingKey;
        this.kafkaClient = KafkaSecurity.clientProperties(settings);
        this.plan = plan;
        this.progress = new Progress(plan);
    }

    /**
     * Fixes the range now (reads the partitions' offsets; sends nothing). {@code routeRoutingKey} gives the routing-key
     * pattern of a route, for {@code --route}. Fails in one line if the topic, or the target topic, does not exist.
     */
    public static HistoryReplay prepare(Settings settings, ReplayOptions options,
                                        Function<String, String> routeRoutingKey) {
        String routingKey = options.route() != null ? routeRoutingKey.apply(options.route()) : options.routingKey();
        try (KafkaConsumer<String, byte[]> consumer = consumer(KafkaSecurity.clientProperties(settings), 1)) {
            Object brokers = KafkaSecurity.clientProperties(settings).get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
            List<TopicPartition> partitions = partitions(consumer, options.topic());
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("no topic '" + options.topic() + "' at " + brokers);
            }
            if (!options.target().exchange() && partitions(consumer, options.target().name()).isEmpty()) {
                throw new IllegalArgumentException("no topic '" + options.target().name() + "' at " + brokers
                        + ": create it first (with as many partitions as the service that reads it needs)");
            }
            Map<Integer, Long> beginnings = byPartition(consumer.beginningOffsets(partitions));
            Map<Integer, Long> ends = byPartition(consumer.endOffsets(partitions));
            RangePlan plan = RangePlan.of(options.topic(), beginnings, ends, options.from(), options.to(), time -> {
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(partitions.stream()
                        .collect(Collectors.toMap(p -> p, p -> time.toEpochMilli())));
                Map<Integer, Long> offsets = new HashMap<>();
                found.forEach((partition, at) -> {
                    if (at != null) {
                        offsets.put(partition.partition(), at.offset());
                    }
                });
                return offsets;
            });
            return new HistoryReplay(settings, options, routingKey, plan);
        }
    }

    public RangePlan plan() {
        return plan;
    }

    public Progress progress() {
        return progress;
    }

    public ReplayOptions options() {
        return options;
    }

    /** {@code topic shipments (3 partitions, 880 records) from ... to ... into exchange x, routing key y}. */
    public String describe() {
        return "topic " + plan.topic() + " (" + plan.partitions().size() + " partitions, " + plan.total() + " records) from "
                + options.from() + (options.to() != null ? " to " + options.to() : " to its end now") + " into "
                + options.target() + (routingKey != null ? ", routing key " + routingKey : "");
    }

    /** The options that replay what is left, from where the last confirmed batch ended. */
    public ReplayOptions resume() {
        return options.resumingAt(progress.next(), plan.ends());
    }

    /**
     * Runs the replay until the range's end, or until {@code stop} counts down (then after the batch in flight).
     * {@code afterBatch} runs after each confirmed batch (progress output). A failure leaves {@link #progress()} at the
     * last confirmed batch.
     */
    public Outcome run(CountDownLatch stop, Runnable afterBatch) throws Exception {
        int batchSize = settings.integer("bridge.replay.batch-size", 1, 100_000);
        int maxRate = options.maxRate();
        Map<Integer, Long> sent = new TreeMap<>();
        List<Undelivered> undelivered = new ArrayList<>();
        Map<TopicPartition, Long> remaining = new HashMap<>();
        plan.partitions().forEach(p -> {
            sent.put(p.partition(), 0L);
            if (p.count() > 0) {
                remaining.put(new TopicPartition(plan.topic(), p.partition()), p.end());
            }
        });
        try (Destination destination = destination();
             KafkaConsumer<String, byte[]> consumer = consumer(kafkaClient, maxRate > 0 ? Math.min(batchSize, maxRate)
                     : batchSize)) {
            consumer.assign(remaining.keySet());
            plan.partitions().stream().filter(p -> p.count() > 0)
                    .forEach(p -> consumer.seek(new TopicPartition(plan.topic(), p.partition()), p.start()));
            while (!remaining.isEmpty() && stop.getCount() > 0) {
                List<ConsumerRecord<String, byte[]>> batch = inRange(poll(consumer), remaining);
                if (!batch.isEmpty()) {
                    undelivered.addAll(destination.send(batch));
                    batch.forEach(r -> sent.merge(r.partition(), 1L, Long::sum));
                }
                Map<Integer, Long> advanced = new HashMap<>();
                for (TopicPartition partition : List.copyOf(remaining.keySet())) {
                    long end = remaining.get(partition);
                    long next = Math.min(consumer.position(partition), end);
                    advanced.put(partition.partition(), next);
                    if (next >= end) {
                        remaining.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                }
                progress.advance(advanced);
                if (!batch.isEmpty()) {
                    afterBatch.run();
                }
                throttle(maxRate, stop);
            }
        } finally {
            progress.finish();
        }
        return new Outcome(sent, undelivered, !remaining.isEmpty());
    }

    /**
     * A poll that refuses to pass over records deleted since the range was fixed (retention, compaction cleaning, a
     * deleteRecords): without {@code auto.offset.reset=none} the consumer would jump to the log's end and the replay
     * would report records it never sent.
     */
    private static ConsumerRecords<String, byte[]> poll(KafkaConsumer<String, byte[]> consumer) {
        try {
            return consumer.poll(POLL);
        } catch (OffsetOutOfRangeException e) {
            // its own message, not Kafka's: the one line a command prints is the root cause's
            Map<TopicPartition, Long> kept = consumer.beginningOffsets(e.offsetOutOfRangePartitions().keySet());
            throw new IllegalStateException(e.offsetOutOfRangePartitions().entrySet().stream()
                    .map(gone -> "records of " + gone.getKey() + " from offset " + gone.getValue()
                            + " were deleted before the replay reached them (the first one kept is "
                            + kept.get(gone.getKey()) + ")")
                    .collect(Collectors.joining("; "))
                    + ": they cannot be replayed; keep a topic's records long enough (docs/operations.md, "
                    + "\"Replaying a topic's history\")");
        }
    }

    /** Records of the range, in each partition's order; a poll may reach past a partition's end. */
    private static List<ConsumerRecord<String, byte[]>> inRange(ConsumerRecords<String, byte[]> polled,
                                                              Map<TopicPartition, Long> remaining) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(polled.count());
        for (TopicPartition partition : polled.partitions()) {
            Long end = remaining.get(partition);
            for (ConsumerRecord<String, byte[]> record : polled.records(partition)) {
                if (end != null && record.offset() < end) {
                    batch.add(record);
                }
            }
        }
        return batch;
    }

    /** With --max-rate, waits until the records done so far are not ahead of that rate (a stop ends the wait). */
    private void throttle(int maxRate, CountDownLatch stop) throws InterruptedException {
        if (maxRate > 0) {
            long ahead = progress.done() * 1000L / maxRate - progress.elapsed().toMillis();
            if (ahead > 0) {
                stop.await(ahead, TimeUnit.MILLISECONDS);
            }
        }
    }

    private Destination destination() throws Exception {
        if (options.target().exchange()) {
            return new ExchangeDestination(RabbitMqSettings.from(settings).clientConnectionFactory(),
                    options.target().name(), routingKey, settings.integer("bridge.rabbitmq.confirm-timeout-ms", 1,
                    3_600_000));
        }
        return new TopicDestination(kafkaClient, options.target().name());
    }

    private static KafkaConsumer<String, byte[]> consumer(Map<String, Object> kafkaClient, int maxPollRecords) {
        Map<String, Object> config = new HashMap<>(kafkaClient);
        // no group: nothing is committed, no running route's group is joined
        config.putAll(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // never skip what was deleted meanwhile: see poll
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords));
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The topic's partitions; none when there is no such topic. */
    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> byPartition = new TreeMap<>();
        offsets.forEach((partition, offset) -> byPartition.put(partition.partition(), offset));
        return byPartition;
    }
}
