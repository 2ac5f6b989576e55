package io.messagebridge.replay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Return;
import io.messagebridge.torabbitmq.KafkaRecordsToAmqp;
import io.messagebridge.failures.UnroutableMessageException;
import io.messagebridge.failures.LoggedReason;
import io.messagebridge.mapping.RoutingKeys;
import io.messagebridge.outputs.ConfirmChannel;
import io.messagebridge.outputs.ConfirmChannels;
import io.messagebridge.outputs.OutgoingRabbitMessage;
import org.apache.camel.component.kafka.KafkaHeaderFilterStrategy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A RabbitMQ exchange that must exist, written to as the kafka-to-rabbitmq bridges write: each record mapped by
 * {@link KafkaRecordsToAmqp#properties} (key to correlation-id, headers as camel-kafka passes them on, timestamp),
 * its routing key from a pattern over its JSON fields ({@link RoutingKeys}), published persistent and mandatory on one
 * confirm channel, one wait for the batch's confirms. A record without a routing key, or that RabbitMQ returns as
 * unroutable, is given back as undelivered; the bridges would dead-letter it, a replay reports it.
 */
final class ExchangeDestination implements Destination {

    /** camel-kafka's: which record headers a bridge's route sees. */
    private static final KafkaHeaderFilterStrategy HEADER_FILTER = new KafkaHeaderFilterStrategy();

    private final ConfirmChannels channels;
    private final String exchange;
    private final String routingKeyPattern;
    private final long confirmTimeoutMillis;

    ExchangeDestination(ConnectionFactory rabbitMq, String exchange, String routingKeyPattern, long confirmTimeoutMillis)
            throws IOException, TimeoutException {
        this.channels = new ConfirmChannels(rabbitMq);
        this.exchange = exchange;
        this.routingKeyPattern = routingKeyPattern.trim();
        this.confirmTimeoutMillis = confirmTimeoutMillis;
        channels.start();
        try {
            channels.checkExchange(exchange);
        } catch (IOException e) {
            close();
            throw new IllegalArgumentException("no exchange '" + exchange + "' in RabbitMQ: declare it and bind the "
                    + "queue that is to receive the history first");
        }
    }

    /** A message published, and the record it was made from. */
    private record Pending(OutgoingRabbitMessage message, ConsumerRecord<String, byte[]> record) {
    }

    @Override
    public List<Undelivered> send(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        List<Undelivered> undelivered = new ArrayList<>();
        List<Pending> published = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            byte[] body = record.value() != null ? record.value() : new byte[0];
            try {
                String routingKey = RoutingKeys.fromPattern(body, routingKeyPattern);
                published.add(new Pending(new OutgoingRabbitMessage(exchange, routingKey, KafkaRecordsToAmqp.properties(
                        headers(record), record.key(), record.timestamp()), body, null), record));
            } catch (RuntimeException e) {
                undelivered.add(Undelivered.of(record, "no routing key: " + LoggedReason.of(e)));
            }
        }
        List<Pending> candidates = new ArrayList<>(published);
        for (Return returned : channels.publishAll(published.stream().map(Pending::message).toList(),
                confirmTimeoutMillis)) {
            Pending pending = ConfirmChannel.takeReturned(candidates, returned, Pending::message);
            undelivered.add(Undelivered.of(pending.record(), UnroutableMessageException.of(returned).getMessage()));
        }
        return undelivered;
    }

    /** The record's headers as a bridge's route has them: what camel-kafka's filter lets in, the last of a name. */
    private static Map<String, Object> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, Object> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (!HEADER_FILTER.applyFilterToExternalHeaders(header.key(), header.value(), null)) {
                headers.put(header.key(), header.value());
            }
        }
        return headers;
    }

    @Override
    public void close() {
        channels.stop();
    }
}
