package io.messagebridge.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.messagebridge.harness.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * The inputs of a Kafka-fed route, counted where the route says it is done with them: its consumer group's committed
 * offsets on the source topic, sampled about every 100 ms with an Admin client. The route commits a batch only once
 * every output of it is confirmed, so a committed input is a finished one. The drain rate runs from the first sample
 * at or past {@code warmup} committed inputs (the first commit, without a warm-up) to the first that reaches the end
 * of the source; start-up, joining the group and the first fetch are not counted. The interval between samples blurs
 * each end by up to 100 ms, which a drain of seconds absorbs and a smoke run of a few thousand inputs does not.
 */
final class CommittedInputs implements PatternFlow.Inputs {

    private final Admin admin;
    private final String group;
    private final String topic;
    private final long total;
    private final long warmup;
    private long committed;
    private long lastProgressNanos;
    private long startNanos;
    private long startCommitted;
    private long endNanos;

    CommittedInputs(KafkaBroker kafka, String group, String topic, int total, int warmup) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
        this.group = group;
        this.topic = topic;
        this.total = total;
        this.warmup = Math.max(1, warmup);
    }

    @Override
    public void awaitEnd(Duration stall) {
        lastProgressNanos = System.nanoTime();
        Awaitility.await(total + " inputs committed by " + group).forever()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                // a group that is still loading its offsets answers with an error: the next sample will do
                .ignoreExceptionsInstanceOf(ExecutionException.class)
                .until(() -> sample(stall));
    }

    /** True once the source is committed to its end, or stalled. */
    private synchronized boolean sample(Duration stall) throws Exception {
        long now = System.nanoTime();
        long sampled = committedOffsets();
        if (sampled != committed) {
            committed = sampled;
            lastProgressNanos = now;
        } else if (now - lastProgressNanos > stall.toNanos()) {
            return true;
        }
        if (startNanos == 0 && committed >= warmup) {
            startNanos = now;
            startCommitted = committed;
        }
        if (committed >= total) {
            endNanos = now;
            return true;
        }
        return false;
    }

    private long committedOffsets() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return offsets.entrySet().stream()
                .filter(offset -> offset.getKey().topic().equals(topic) && offset.getValue() != null)
                .mapToLong(offset -> offset.getValue().offset()).sum();
    }

    /** Inputs per second; NaN if the end was never reached, or was reached in the sample that passed the warm-up. */
    @Override
    public synchronized double ratePerSecond() {
        return endNanos > startNanos && startNanos > 0 ? (total - startCommitted) / ((endNanos - startNanos) / 1e9)
                : Double.NaN;
    }

    /** The records on {@code <source topic>.DLT}, where the route's bad inputs and refused outputs went. */
    @Override
    public long deadLetters() {
        String deadLetterTopic = topic + ".DLT";
        try {
            List<TopicPartition> partitions = admin.describeTopics(List.of(deadLetterTopic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(deadLetterTopic).partitions().stream()
                    .map(partition -> new TopicPartition(deadLetterTopic, partition.partition())).toList();
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(offset -> offset.offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("counting the records on " + deadLetterTopic, e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
