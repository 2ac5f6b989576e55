package io.messagebridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.messagebridge.core.BridgeProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.CommitManager;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualSyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The commit/rewind bookkeeping on its own, with Kafka's MockConsumer standing in for the consumer object (the
 * integration tests run it against a real broker).
 */
class KafkaBatchCommitTest {

    private final CamelContext context = new DefaultCamelContext();
    private final TopicPartition partition = new TopicPartition("shipments", 0);
    /** MockConsumer's group generation is fixed; a rebalance here makes a new one. */
    private final AtomicInteger generation = new AtomicInteger(1);
    private final MockConsumer<Object, Object> consumer = consumer(generation);
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final KafkaBatchCommit commits = new KafkaBatchCommit();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void aBatchFetchedAfterAFailedOneIsNotCommittedUntilTheFailedOneIsDelivered() {
        consumer.assign(List.of(partition));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.seek(partition, 20);

        finish(batch(0, 10), false);
        assertThat(consumer.position(partition)).as("rewound to the failed batch").isZero();
        assertThat(committed).isEmpty();

        Exchange stale = batch(10, 20);
        assertThat(stale.isRouteStop()).as("a batch fetched before the rewind is skipped").isTrue();
        consumer.seek(partition, 20);
        finish(stale, true);
        assertThat(committed).as("nothing committed past the failed batch").isEmpty();
        assertThat(consumer.position(partition)).isZero();

        Exchange again = batch(0, 10);
        assertThat(again.isRouteStop()).isFalse();
        finish(again, true);
        assertThat(committed).containsEntry(partition, 10L);

        Exchange next = batch(10, 20);
        assertThat(next.isRouteStop()).isFalse();
        finish(next, true);
        assertThat(committed).containsEntry(partition, 20L);
    }

    @Test
    void aRebalanceEndsTheMarksOfAFailedBatch() {
        failTheFirstBatch();
        assertThat(batch(10, 20).isRouteStop()).as("fetched before the rewind").isTrue();
        // the partition went to another instance, which delivered and committed up to 30, and came back
        generation.incrementAndGet();
        assertDeliveredAndCommitted(30, 40);
    }

    @Test
    void aMarkWhoseRecordsRetentionDeletedIsDropped() {
        failTheFirstBatch();
        // retention deleted offsets 0 to 99 before the rewound batch came back: the consumer resets to 100
        consumer.updateBeginningOffsets(Map.of(partition, 100L));
        assertDeliveredAndCommitted(100, 110);
    }

    private void failTheFirstBatch() {
        consumer.assign(List.of(partition));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        finish(batch(0, 10), false);
    }

    private void assertDeliveredAndCommitted(long from, long to) {
        Exchange next = batch(from, to);
        assertThat(next.isRouteStop()).as("not skipped").isFalse();
        finish(next, true);
        assertThat(committed).containsEntry(partition, to);
    }

    @Test
    void anotherConsumerThreadInANewerGenerationLeavesThisOnesMarksAlone() {
        failTheFirstBatch();
        // the route's second consumer thread has joined the next generation already, with another partition
        MockConsumer<Object, Object> other = consumer(new AtomicInteger(2));
        TopicPartition otherPartition = new TopicPartition("shipments", 1);
        other.assign(List.of(otherPartition));
        finish(batch(other, otherPartition, 0, 10), true);
        assertThat(batch(10, 20).isRouteStop()).as("still fetched before this consumer's rewind").isTrue();
    }

    @Test
    void aFailedBatchCommitsTheRecordsItDeliveredAndRewindsToTheFirstItDidNot() {
        failTheFirstBatch();
        assertThat(consumer.position(partition)).isZero();

        // handled again from 0: records 0 to 3 reach their destinations, record 4 does not
        Exchange again = batch(0, 10);
        assertThat(again.isRouteStop()).isFalse();
        again.setProperty(BridgeProperties.SETTLED_INPUTS, 4);
        finish(again, false);
        assertThat(committed).containsExactlyEntriesOf(Map.of(partition, 4L));
        assertThat(consumer.position(partition)).as("only the rest comes again").isEqualTo(4);

        Exchange rest = batch(4, 10);
        assertThat(rest.isRouteStop()).as("the rest is not taken for a batch fetched before the rewind").isFalse();
        finish(rest, true);
        assertThat(committed).containsEntry(partition, 10L);
    }

    @Test
    void aFailedBatchOverTwoPartitionsRewindsOnlyThePartitionsWithUndeliveredRecords() {
        TopicPartition second = new TopicPartition("shipments", 1);
        consumer.assign(List.of(partition, second));
        consumer.updateBeginningOffsets(Map.of(partition, 0L, second, 0L));
        consumer.seek(partition, 5);
        consumer.seek(second, 5);
        Exchange batch = batch(List.of(record(partition, 0), record(partition, 1), record(partition, 2),
                record(second, 0), record(second, 1)));
        batch.setProperty(BridgeProperties.SETTLED_INPUTS, 3);
        finish(batch, false);

        assertThat(committed).containsExactlyEntriesOf(Map.of(partition, 3L));
        assertThat(consumer.position(partition)).as("every record of the first partition was delivered").isEqualTo(5);
        assertThat(consumer.position(second)).isZero();
    }

    private static MockConsumer<Object, Object> consumer(AtomicInteger generation) {
        return new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
            @Override
            public synchronized ConsumerGroupMetadata groupMetadata() {
                return new ConsumerGroupMetadata("test", generation.get(), "member", Optional.empty());
            }
        };
    }

    private Exchange batch(long from, long to) {
        return batch(consumer, partition, from, to);
    }

    private Exchange batch(MockConsumer<Object, Object> consumer, TopicPartition partition, long from, long to) {
        List<Exchange> records = new ArrayList<>();
        for (long offset = from; offset < to; offset++) {
            records.add(record(consumer, partition, offset));
        }
        return batch(records);
    }

    private Exchange record(TopicPartition partition, long offset) {
        return record(consumer, partition, offset);
    }

    private Exchange record(MockConsumer<Object, Object> consumer, TopicPartition partition, long offset) {
        Exchange record = new DefaultExchange(context);
        record.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, new DefaultKafkaManualSyncCommit(
                new KafkaManualCommitFactory.CamelExchangePayload(record, consumer, "test", null),
                new KafkaManualCommitFactory.KafkaRecordPayload(partition, offset, 1000), commitManager()));
        return record;
    }

    private Exchange batch(List<Exchange> records) {
        Exchange batch = new DefaultExchange(context);
        batch.getMessage().setBody(records);
        commits.process(batch);
        return batch;
    }

    private static void finish(Exchange batch, boolean success) {
        List<Synchronization> completions = batch.getExchangeExtension().handoverCompletions();
        if (!success) {
            batch.setException(new IllegalStateException("RabbitMQ went away"));
        }
        completions.forEach(c -> {
            if (success) {
                c.onComplete(batch);
            } else {
                c.onFailure(batch);
            }
        });
    }

    private CommitManager commitManager() {
        return new CommitManager() {
            @Override
            public KafkaManualCommit getManualCommit(Exchange exchange, TopicPartition tp, ConsumerRecord<Object, Object> r) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void commit() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void commit(TopicPartition tp) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void forceCommit(TopicPartition tp, long lastOffset) {
                committed.put(tp, lastOffset + 1);
            }

            @Override
            public void recordOffset(TopicPartition tp, long lastOffset) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
