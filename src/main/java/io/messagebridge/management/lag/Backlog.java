package io.messagebridge.management.lag;

import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * What one route has waiting at its source, as last sampled by {@link BacklogSampler}: records behind per Kafka
 * partition, or ready messages and consumers per RabbitMQ queue, and when that was read. Immutable; the sampler
 * replaces a route's instance after each successful sample, so readers (gauges, the route's MBean) never touch a
 * broker and never wait.
 */
public record Backlog(Map<TopicPartition, Long> lag, Map<String, QueueDepth> queues, Instant sampledAt) {

    /** Ready messages (not the unacked ones a consumer holds) and consumers of one queue. */
    public record QueueDepth(long messages, long consumers) {
    }

    /** Records behind summed over the route's partitions, -1 before a first sample (or for a RabbitMQ route). */
    public long consumerLag() {
        return lag.isEmpty() ? -1 : lag.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Ready messages summed over the route's queues, -1 before a first sample (or for a Kafka route). */
    public long queueDepth() {
        return queues.isEmpty() ? -1 : queues.values().stream().mapToLong(QueueDepth::messages).sum();
    }
}
