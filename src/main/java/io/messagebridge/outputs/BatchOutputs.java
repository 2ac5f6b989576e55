package io.messagebridge.outputs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.rabbitmq.client.Return;
import io.messagebridge.core.BatchOutcome;
import io.messagebridge.core.BridgeProperties;
import io.messagebridge.failures.BatchDeadLetters;
import io.messagebridge.failures.LoggedReason;
import io.messagebridge.failures.PermanentFailures;
import io.messagebridge.failures.UnroutableMessageException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Everything a route sent to Kafka and RabbitMQ for one batch of inputs, and what the brokers answered. Sends do not
 * wait: a {@code kafka:} send is handed to the Kafka client, a {@code spring-rabbitmq:} send is published mandatory on
 * the batch's confirm channel, and the route goes on with its next step or input. {@link #deliver} then waits once for
 * every answer; only after it returned may the batch's source be committed or acked.
 * <ul>
 * <li>A send refused for good (unroutable, too large) makes its input a dead letter, with the reason.</li>
 * <li>An input whose route failed, or a send that failed otherwise, fails the batch: the batch is handled again from
 * its first input that has not reached its destinations (every output from there on sent again, in the original
 * order, with the same ids) or goes back to its source.</li>
 * </ul>
 * The inputs before that one, each of whose outputs was confirmed, are not handed to the route again: a retry carries
 * them over as they are ({@link #settled}), and a failed batch tells its Kafka source how many there are
 * ({@link BridgeProperties#SETTLED_INPUTS}) so that it commits them. The inputs after it are handed over again even
 * if they had reached their destinations, so that no output of a key lands after an output of a later input.
 * As the {@link BatchOutcome} of a batch of RabbitMQ deliveries it acks each delivery whose outputs
 * were all confirmed, and requeues the others.
 */
public final class BatchOutputs implements BatchOutcome {

    private static final String AGAIN_FROM = "its first input not yet delivered";

    private final List<RecordOutputs> records = new ArrayList<>();
    /** In send order. */
    private final List<Output> outputs = new ArrayList<>();
    /** Guards the Kafka answers; never held while a call may block, since Kafka's I/O thread waits for it. */
    private final Object kafkaAnswers = new Object();
    private int kafkaUnanswered;
    /** Guards the confirm channel: one publisher at a time. */
    private final Object rabbitLock = new Object();
    private ConfirmChannels rabbitChannels;
    private ConfirmChannel rabbitChannel;
    private long confirmTimeoutMillis;
    private RecordOutputs failedRecord;
    private Exception failure;
    private boolean delivering;

    private BatchOutputs() {
    }

    /**
     * Before a batch's inputs are handed to the route, on each attempt: the leading inputs of the previous attempt
     * that reached their destinations are carried over, and the route is handed the inputs from {@link #settled} on.
     */
    public static BatchOutputs open(Exchange batch) {
        BatchOutputs outputs = new BatchOutputs();
        BatchOutputs previous = batch.getProperty(BridgeProperties.BATCH_OUTPUTS, BatchOutputs.class);
        if (previous != null) {
            outputs.records.addAll(previous.records.subList(0, previous.reachedInOrder()));
        }
        batch.setProperty(BridgeProperties.BATCH_OUTPUTS, outputs);
        batch.setProperty(BridgeProperties.BATCH_OUTCOME, outputs);
        return outputs;
    }

    /** How many leading inputs of the batch reached their destinations in an earlier attempt: the route skips them. */
    public synchronized int settled() {
        return records.size();
    }

    /** The number of leading inputs, in batch order, that reached their destinations. */
    private synchronized int reachedInOrder() {
        int reached = 0;
        while (reached < records.size() && records.get(reached).reached()) {
            reached++;
        }
        return reached;
    }

    /** The batch an exchange belongs to (the batch's own, or one made from it for an input). */
    public static BatchOutputs of(Exchange exchange) {
        BatchOutputs outputs = exchange.getProperty(BridgeProperties.BATCH_OUTPUTS, BatchOutputs.class);
        if (outputs == null) {
            throw new IllegalStateException("no batch outputs: call BatchOutputs.open on the batch first");
        }
        return outputs;
    }

    /**
     * Before the route is called for an input: from here on its exchange, and any exchange split or copied from it,
     * carries the input's {@link RecordOutputs}. {@code original} is the input as it arrived, for its dead letter.
     */
    public synchronized RecordOutputs startRecord(Exchange input, Message original) {
        RecordOutputs record = new RecordOutputs(this, original);
        records.add(record);
        input.setProperty(BridgeProperties.RECORD_OUTPUTS, record);
        return record;
    }

    /**
     * After the route returned for an input; false if it failed: the inputs after it must not be called, since their
     * outputs would overtake its own when the batch is handled again.
     */
    public synchronized boolean finishRecord(RecordOutputs record, Exchange input) {
        record.finished(input);
        if (record.state() == RecordOutputs.State.FAILED) {
            failedRecord = record;
            failure = input.getException();
            return false;
        }
        return true;
    }

    void sendToKafka(RecordOutputs record, String routeId, Producer<Object, Object> client,
                     ProducerRecord<Object, Object> message) {
        KafkaOutput output = new KafkaOutput(record, routeId, client, message);
        add(output);
        if (!output.send()) {
            // refused before it was queued (a serializer, a closed client): the route's error handler decides
            remove(output);
            throw output.failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(output.failure);
        }
    }

    void sendToRabbitMq(RecordOutputs record, String routeId, ConfirmChannels channels, OutgoingRabbitMessage message,
                        long confirmTimeout) throws IOException, TimeoutException {
        RabbitOutput output = new RabbitOutput(record, routeId, message);
        synchronized (rabbitLock) {
            rabbitChannels = channels;
            confirmTimeoutMillis = Math.max(confirmTimeoutMillis, confirmTimeout);
            add(output);
            try {
                message.publishOn(channel());
            } catch (IOException | TimeoutException | RuntimeException e) {
                remove(output);
                discardChannel();
                throw e;
            }
        }
    }

    /**
     * Waits for every output's answer. Returns normally when every output is confirmed or refused for good (those
     * inputs then become the batch's dead letters, {@link BatchDeadLetters}); throws when an input failed or an output
     * failed otherwise.
     */
    public void deliver(Exchange batch) throws Exception {
        synchronized (this) {
            delivering = true;
        }
        awaitKafka();
        confirmRabbitMq();
        if (failedRecord != null || first(Output::failedForNow) != null) {
            batch.setProperty(BridgeProperties.SETTLED_INPUTS, reachedInOrder());
        }
        if (failedRecord != null) {
            // not the failure itself: the source route's handler for permanent failures would take a whole batch
            IllegalStateException stop = new IllegalStateException("input " + failedRecord.inputId()
                    + " failed (" + LoggedReason.of(failure) + "); the batch is handled again from " + AGAIN_FROM);
            stop.addSuppressed(failure);
            throw stop;
        }
        Output notConfirmed = first(Output::failedForNow);
        if (notConfirmed != null) {
            throw new OutputsNotConfirmedException(notConfirmed.describe() + " was not confirmed ("
                    + LoggedReason.of(notConfirmed.failure) + "); the batch is handled again from " + AGAIN_FROM, notConfirmed.failure);
        }
        for (Output output : snapshot()) {
            if (output.failure != null) {
                output.record.refused(output.failure, output.routeId);
            }
        }
        for (RecordOutputs record : records) {
            if (record.refusal() != null && record.state() == RecordOutputs.State.HANDLED) {
                BatchDeadLetters.add(batch, record.original(), record.refusal(), record.refusingRoute());
            }
        }
        batch.setProperty(BridgeProperties.FORWARDED, records.stream()
                .filter(record -> record.state() == RecordOutputs.State.HANDLED && record.refusal() == null).count());
    }

    @Override
    public Set<Long> reached() {
        return deliveryTags(RecordOutputs::reached);
    }

    @Override
    public Set<Long> missed() {
        return deliveryTags(record -> !record.reached() && record.refusal() == null);
    }

    private Set<Long> deliveryTags(Predicate<RecordOutputs> which) {
        return records.stream().filter(which)
                .map(record -> record.original().getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class))
                .filter(tag -> tag != null)
                .collect(Collectors.toSet());
    }

    private synchronized void add(Output output) {
        if (delivering) {
            throw new IllegalStateException("a send after its batch was delivered (from another thread, such as a "
                    + "wireTap's?); route sends must happen while the route handles the input");
        }
        outputs.add(output);
        output.record.added(output);
    }

    /** A send refused before it left: it is no output, and its input's route decides what happens next. */
    private synchronized void remove(Output output) {
        outputs.remove(output);
        output.record.removed(output);
    }

    private synchronized List<Output> snapshot() {
        return new ArrayList<>(outputs);
    }

    private Output first(Predicate<Output> which) {
        return snapshot().stream().filter(which).findFirst().orElse(null);
    }

    private void awaitKafka() throws InterruptedException {
        synchronized (kafkaAnswers) {
            while (kafkaUnanswered > 0) {
                kafkaAnswers.wait();
            }
        }
    }

    private void confirmRabbitMq() throws InterruptedException {
        synchronized (rabbitLock) {
            List<RabbitOutput> unconfirmed = new ArrayList<>();
            for (Output output : snapshot()) {
                if (output instanceof RabbitOutput rabbit && !rabbit.confirmed && rabbit.failure == null) {
                    unconfirmed.add(rabbit);
                }
            }
            if (unconfirmed.isEmpty()) {
                return;
            }
            try {
                List<Return> returned = rabbitChannel.awaitConfirms(confirmTimeoutMillis);
                rabbitChannels.release(rabbitChannel, true);
                rabbitChannel = null;
                List<RabbitOutput> candidates = new ArrayList<>(unconfirmed);
                for (Return message : returned) {
                    ConfirmChannel.takeReturned(candidates, message, RabbitOutput::message).failure =
                            UnroutableMessageException.of(message);
                }
                unconfirmed.forEach(output -> output.confirmed = output.failure == null);
            } catch (IOException | TimeoutException | RuntimeException e) {
                discardChannel();
                unconfirmed.forEach(output -> output.failure = e);
            }
        }
    }

    private ConfirmChannel channel() throws IOException, TimeoutException {
        if (rabbitChannel == null) {
            rabbitChannel = rabbitChannels.borrow();
        }
        return rabbitChannel;
    }

    private void discardChannel() {
        if (rabbitChannel != null) {
            rabbitChannels.release(rabbitChannel, false);
            rabbitChannel = null;
        }
    }

    /** One send of an input. */
    abstract static class Output {
        final RecordOutputs record;
        /** The route that sent it: a refused output makes a dead letter of that route. */
        final String routeId;
        volatile Exception failure;

        Output(RecordOutputs record, String routeId) {
            this.record = record;
            this.routeId = routeId;
        }

        abstract boolean acknowledged();

        /** Failed for a reason that may pass (a timeout, a broker away): its input is handled again. */
        boolean failedForNow() {
            return failure != null && !PermanentFailures.isPermanent(failure);
        }

        abstract String describe();
    }

    private final class KafkaOutput extends Output {
        private final Producer<Object, Object> client;
        private final ProducerRecord<Object, Object> message;
        private boolean answered;
        private boolean acknowledged;

        KafkaOutput(RecordOutputs record, String routeId, Producer<Object, Object> client,
                    ProducerRecord<Object, Object> message) {
            super(record, routeId);
            this.client = client;
            this.message = message;
        }

        /** False if the client refused it before queuing it (the failure is kept). */
        boolean send() {
            synchronized (kafkaAnswers) {
                kafkaUnanswered++;
            }
            try {
                client.send(message, this::answered);
                return true;
            } catch (RuntimeException e) {
                answered(null, e);
                return false;
            }
        }

        /** Kafka answers some records twice after a fatal producer error: only the first answer counts. */
        private void answered(RecordMetadata metadata, Exception error) {
            synchronized (kafkaAnswers) {
                if (answered) {
                    return;
                }
                answered = true;
                // Kafka reports a failed send with an offset of -1
                acknowledged = error == null && metadata != null && metadata.hasOffset();
                failure = acknowledged ? null
                        : error != null ? error : new IllegalStateException("Kafka answered without an offset");
                if (--kafkaUnanswered == 0) {
                    kafkaAnswers.notifyAll();
                }
            }
        }

        @Override
        boolean acknowledged() {
            synchronized (kafkaAnswers) {
                return acknowledged;
            }
        }

        @Override
        String describe() {
            return "a record for Kafka topic " + message.topic();
        }
    }

    private final class RabbitOutput extends Output {
        private final OutgoingRabbitMessage message;
        private volatile boolean confirmed;

        RabbitOutput(RecordOutputs record, String routeId, OutgoingRabbitMessage message) {
            super(record, routeId);
            this.message = message;
        }

        OutgoingRabbitMessage message() {
            return message;
        }

        @Override
        boolean acknowledged() {
            return confirmed;
        }

        @Override
        String describe() {
            return "a message for RabbitMQ exchange '" + message.exchange() + "' (routing key '" + message.routingKey()
                    + "')";
        }
    }
}
