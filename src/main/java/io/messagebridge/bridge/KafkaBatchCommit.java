package io.messagebridge.bridge;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * dead-lettered), and rewinds the consumer to the start of the batch when it failed, so the next poll delivers the
 * same records again.
 * <p>
 * Why not camel-kafka's own handling: in 4.17 a failed batch is logged and the next batch's commit moves the offset
 * past it (the failed records are lost), and {@code breakOnFirstError} commits the failing offset (CAMEL-20044).
 * Both steps run on the consumer's own thread, as KafkaConsumer requires: the batch route is synchronous.
 */
public final class KafkaBatchCommit implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatchCommit.class);

    @Override
    public void process(Exchange batch) {
        Map<TopicPartition, DefaultKafkaManualCommit> last = new LinkedHashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        Consumer<?, ?> consumer = null;
        for (Message record : KafkaBatch.records(batch)) {
            Object commit = record.getHeader(KafkaConstants.MANUAL_COMMIT);
            if (!(commit instanceof DefaultKafkaManualCommit manual)) {
                throw new IllegalStateException("KafkaBatchCommit needs a kafka consumer with batching=true, "
                        + "allowManualCommit=true and autoCommitEnable=false");
            }
            first.putIfAbsent(manual.getPartition(), manual.getRecordOffset());
            last.put(manual.getPartition(), manual);
            consumer = manual.getCamelExchangePayload().consumer;
        }
        if (consumer != null) {
            batch.getExchangeExtension().addOnCompletion(new CommitOrRewind(last, first, consumer));
        }
    }

    private static final class CommitOrRewind extends SynchronizationAdapter {
        private final Map<TopicPartition, DefaultKafkaManualCommit> last;
        private final Map<TopicPartition, Long> first;
        private final Consumer<?, ?> consumer;

        CommitOrRewind(Map<TopicPartition, DefaultKafkaManualCommit> last, Map<TopicPartition, Long> first,
                       Consumer<?, ?> consumer) {
            this.last = last;
            this.first = first;
            this.consumer = consumer;
        }

        @Override
        public void onComplete(Exchange exchange) {
            // A commit that fails (rebalance, broker gone) leaves the records uncommitted: they come again, at least once.
            last.values().forEach(DefaultKafkaManualCommit::commit);
        }

        @Override
        public void onFailure(Exchange exchange) {
            first.forEach((partition, offset) -> {
                if (consumer.assignment().contains(partition)) {
                    consumer.seek(partition, offset);
                }
            });
            LOG.warn("Batch of {} failed ({}); rewound to {} to deliver it again", KafkaBatch.records(exchange).size(),
                    exchange.getException() == null ? "no exception" : exchange.getException().getMessage(), first);
        }
    }
}
