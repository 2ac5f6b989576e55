package io.messagebridge.management.lag;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * How many records each consumer group is behind, per partition of the topics it reads, with one admin client
 * (created on first use, with the application's Kafka security settings) and four requests per sample, whatever the
 * number of routes: the topics' partitions, their earliest and latest offsets, and every group's committed offsets.
 * A topic that does not exist (yet) is left out; any other failure fails the whole sample.
 */
final class KafkaLag implements AutoCloseable {

    private final Map<String, Object> clientProperties;
    private final Duration timeout;
    private Admin admin;

    KafkaLag(Map<String, Object> clientProperties, Duration timeout) {
        this.clientProperties = clientProperties;
        this.timeout = timeout;
    }

    /**
     * Records behind = latest offset - where the group resumes: its committed offset (or the earliest one still
     * kept, if retention deleted past it), or, before its first commit, where its auto.offset.reset starts it.
     * Records fetched but not committed yet count as behind.
     */
    static long behind(OffsetAndMetadata committed, long earliest, long latest, boolean resetToLatest) {
        long position = committed != null ? Math.max(committed.offset(), earliest) : resetToLatest ? latest : earliest;
        return Math.max(0, latest - position);
    }

    /** Per consumer group of {@code sources}, the records it is behind on each partition of its topics. */
    Map<String, Map<TopicPartition, Long>> sample(List<BacklogSampler.Source> sources) {
        Set<String> topics = new HashSet<>();
        sources.forEach(source -> topics.addAll(source.topics()));
        Map<String, List<TopicPartition>> partitions = partitions(topics);
        Map<TopicPartition, OffsetSpec> earliestSpec = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latestSpec = new HashMap<>();
        partitions.values().forEach(list -> list.forEach(partition -> {
            earliestSpec.put(partition, OffsetSpec.earliest());
            latestSpec.put(partition, OffsetSpec.latest());
        }));
        Map<String, ListConsumerGroupOffsetsSpec> groups = new HashMap<>();
        Map<String, Boolean> resetToLatest = new HashMap<>();
        for (BacklogSampler.Source source : sources) {
            Set<TopicPartition> read = new HashSet<>();
            source.topics().forEach(topic -> read.addAll(partitions.getOrDefault(topic, List.of())));
            ListConsumerGroupOffsetsSpec spec = groups.get(source.group());
            if (read.isEmpty()) {
                continue;
            } else if (spec != null) {
                read.addAll(spec.topicPartitions());
            }
            groups.put(source.group(), new ListConsumerGroupOffsetsSpec().topicPartitions(read));
            resetToLatest.put(source.group(), source.resetToLatest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> earliest = get(admin().listOffsets(earliestSpec).all());
        Map<TopicPartition, ListOffsetsResultInfo> latest = get(admin().listOffsets(latestSpec).all());
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
                get(admin().listConsumerGroupOffsets(groups).all());
        Map<String, Map<TopicPartition, Long>> lag = new HashMap<>();
        groups.forEach((group, spec) -> {
            Map<TopicPartition, OffsetAndMetadata> offsets = committed.getOrDefault(group, Map.of());
            Map<TopicPartition, Long> behind = new HashMap<>();
            spec.topicPartitions().forEach(partition -> behind.put(partition, behind(offsets.get(partition),
                    earliest.get(partition).offset(), latest.get(partition).offset(), resetToLatest.get(group))));
            lag.put(group, behind);
        });
        return lag;
    }

    private Map<String, List<TopicPartition>> partitions(Set<String> topics) {
        Map<String, KafkaFuture<TopicDescription>> described = admin().describeTopics(topics).topicNameValues();
        Map<String, List<TopicPartition>> partitions = new HashMap<>();
        described.forEach((topic, future) -> {
            try {
                TopicDescription description = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                partitions.put(topic, description.partitions().stream()
                        .map(partition -> new TopicPartition(topic, partition.partition())).toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException | TimeoutException e) {
                throw failure(e);
            }
        });
        return partitions;
    }

    private <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw failure(e);
        }
    }

    private IllegalStateException failure(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new IllegalStateException("interrupted", e);
        }
        // the future's own TimeoutException says nothing more than this
        return new IllegalStateException("Kafka did not answer within " + timeout.toMillis() + " ms");
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(clientProperties);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "rabbitmq-kafka-bridge-lag");
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            admin = Admin.create(config);
        }
        return admin;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
