package io.messagebridge.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.messagebridge.core.BridgeProperties;
import io.messagebridge.failures.LoggedReason;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the offsets of a camel-kafka batch only when the whole batch is done (every record delivered or
 * dead-lettered), and rewinds the consumer when it failed, so the next poll delivers the same records again. A step
 * that knows how many leading records of a failed batch reached their destinations says so in
 * {@link BridgeProperties#SETTLED_INPUTS}: those are committed, and only the records from there on come again, as Spring Kafka does
 * for a batch listener's failed record.
 * <p>
 * Why not camel-kafka's own handling: in 4.17 a failed batch is logged and the next batch's commit moves the offset
 * past it (the failed records are lost), and {@code breakOnFirstError} commits the failing offset (CAMEL-20044).
 * <p>
 * camel-kafka may already hold records fetched after a failed batch, and hands them over as the next batch before
 * the rewound ones come back. Such a batch is skipped (not delivered, not committed) and rewound too, so no commit
 * ever passes a batch that has not been delivered. Both steps run on the consumer's own thread, as KafkaConsumer
 * requires: the batch route is synchronous.
 * <p>
 * A mark holds only for the group generation it was made in: a rebalance sends a partition back to its committed
 * offset, which no commit has passed beyond the failed batch, and the partition may come back to this consumer much
 * later, from elsewhere. Nor does a mark hold below the partition's first offset: retention deleted what it pointed
 * at, and the consumer would otherwise skip every batch from then on.
 */
public final class KafkaBatchCommit implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatchCommit.class);

    /**
     * Per partition, the offset a failed batch was rewound to, until a batch starting there has been processed, and
     * the group generation it was made in. Shared by the route's consumer threads, which may see a rebalance at
     * different moments: each judges only the marks of its own batch's partitions, by its own generation.
     */
    private final Map<TopicPartition, Mark> rewoundTo = new ConcurrentHashMap<>();

    private record Mark(long offset, int generation) {
        Mark earlier(Mark other) {
            return other.generation != generation || other.offset < offset ? other : this;
        }
    }

    @Override
    public void process(Exchange batch) {
        List<DefaultKafkaManualCommit> records = new ArrayList<>();
        for (Message record : PolledRecords.records(batch)) {
            Object commit = record.getHeader(KafkaConstants.MANUAL_COMMIT);
            if (!(commit instanceof DefaultKafkaManualCommit manual)) {
                throw new IllegalStateException("KafkaBatchCommit needs a kafka consumer with batching=true, "
                        + "allowManualCommit=true and autoCommitEnable=false");
            }
            records.add(manual);
        }
        if (records.isEmpty()) {
            return;
        }
        Consumer<?, ?> consumer = records.get(0).getCamelExchangePayload().consumer;
        Map<TopicPartition, Long> first = firstOffsets(records);
        boolean stale = false;
        if (!rewoundTo.isEmpty()) {
            forgetMarksOfAnotherGeneration(consumer, first);
            if (startsPastAMark(first)) {
                forgetMarksBelowTheLogStart(consumer, first);
            }
            stale = startsPastAMark(first);
        }
        if (stale) {
            batch.setProperty(BridgeProperties.KAFKA_BATCH_SKIPPED, true);
            batch.setProperty(BridgeProperties.FORWARDED, 0);
            batch.setRouteStop(true);
        }
        batch.getExchangeExtension().addOnCompletion(new CommitOrRewind(records, consumer));
    }

    private static Map<TopicPartition, Long> firstOffsets(List<DefaultKafkaManualCommit> records) {
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        records.forEach(record -> first.putIfAbsent(record.getPartition(), record.getRecordOffset()));
        return first;
    }

    /** Commits, for each partition, the last of the records (all of them delivered). */
    private static void commit(List<DefaultKafkaManualCommit> records) {
        Map<TopicPartition, DefaultKafkaManualCommit> last = new LinkedHashMap<>();
        records.forEach(record -> last.put(record.getPartition(), record));
        last.values().forEach(DefaultKafkaManualCommit::commit);
    }

    private void forgetMarksOfAnotherGeneration(Consumer<?, ?> consumer, Map<TopicPartition, Long> first) {
        int current = consumer.groupMetadata().generationId();
        for (TopicPartition partition : first.keySet()) {
            Mark mark = rewoundTo.get(partition);
            if (mark != null && mark.generation() != current) {
                LOG.debug("Group generation {} after {}: the rewind mark of {} no longer holds", current,
                        mark.generation(), partition);
                rewoundTo.remove(partition, mark);
            }
        }
    }

    private boolean startsPastAMark(Map<TopicPartition, Long> first) {
        return first.entrySet().stream().anyMatch(start -> {
            Mark mark = rewoundTo.get(start.getKey());
            return mark != null && start.getValue() > mark.offset();
        });
    }

    /** Drops the marks of the batch's partitions that point at records retention deleted since. */
    private void forgetMarksBelowTheLogStart(Consumer<?, ?> consumer, Map<TopicPartition, Long> first) {
        for (Map.Entry<TopicPartition, Long> start : consumer.beginningOffsets(first.keySet()).entrySet()) {
            Mark mark = rewoundTo.get(start.getKey());
            if (mark != null && mark.offset() < start.getValue()) {
                LOG.warn("Records {} to {} of {} were deleted by retention before they could be delivered again",
                        mark.offset(), start.getValue() - 1, start.getKey());
                rewoundTo.remove(start.getKey());
            }
        }
    }

    private final class CommitOrRewind extends SynchronizationAdapter {
        private final List<DefaultKafkaManualCommit> records;
        private final Consumer<?, ?> consumer;

        CommitOrRewind(List<DefaultKafkaManualCommit> records, Consumer<?, ?> consumer) {
            this.records = records;
            this.consumer = consumer;
        }

        @Override
        public void onComplete(Exchange exchange) {
            if (exchange.getProperty(BridgeProperties.KAFKA_BATCH_SKIPPED, false, Boolean.class)) {
                Map<TopicPartition, Long> first = firstOffsets(records);
                rewind(first);
                LOG.debug("Skipped a batch fetched before a rewind: {}", first);
                return;
            }
            // A commit that fails (rebalance, broker gone) leaves the records uncommitted: they come again, at least once.
            commit(records);
            records.forEach(record -> rewoundTo.remove(record.getPartition()));
        }

        @Override
        public void onFailure(Exchange exchange) {
            int settled = Math.min(exchange.getProperty(BridgeProperties.SETTLED_INPUTS, 0, Integer.class),
                    records.size());
            if (settled > 0) {
                try {
                    commit(records.subList(0, settled));
                } catch (RuntimeException e) {
                    // they come again with the rest: at least once
                    LOG.warn("Could not commit the {} delivered records of a failed batch ({})", settled,
                            LoggedReason.of(e));
                }
            }
            // this batch was handled from its start, so its partitions' earlier marks give way to where it stopped
            records.forEach(record -> rewoundTo.remove(record.getPartition()));
            Map<TopicPartition, Long> first = firstOffsets(records.subList(settled, records.size()));
            rewind(first);
            LOG.warn("Batch of {} failed ({}); {} delivered, rewound to {} to deliver the rest again", records.size(),
                    exchange.getException() == null ? "no exception" : LoggedReason.of(exchange.getException()),
                    settled, first);
        }

        /** Each partition goes back to its earliest undelivered offset. */
        private void rewind(Map<TopicPartition, Long> first) {
            first.forEach((partition, offset) -> {
                long target = rewoundTo.merge(partition, new Mark(offset, consumer.groupMetadata().generationId()),
                        Mark::earlier).offset();
                if (consumer.assignment().contains(partition)) {
                    consumer.seek(partition, target);
                }
            });
        }
    }
}
