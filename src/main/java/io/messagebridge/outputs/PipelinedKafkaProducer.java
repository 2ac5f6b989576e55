package io.messagebridge.outputs;

import java.nio.charset.StandardCharsets;

import io.messagebridge.core.BridgeHeaders;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.KafkaProducer;
import org.apache.camel.support.ExchangeHelper;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * camel-kafka's producer, except for an exchange of a batch of inputs ({@link RecordOutputs}): the record, made by
 * camel-kafka from the exchange as always (topic, key, partition, timestamp, headers through the endpoint's filter
 * and serializer), is handed to the Kafka client and the exchange goes on at once; its batch waits for Kafka's answer
 * ({@link BatchOutputs#deliver}). Its {@code message-id} header becomes {@code <input id>-<n>}, unless the route set
 * an id of its own. Transactions and iterated list bodies keep camel-kafka's own path.
 */
final class PipelinedKafkaProducer extends KafkaProducer {

    private final KafkaConfiguration configuration;

    PipelinedKafkaProducer(KafkaEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean process(Exchange exchange, AsyncCallback callback) {
        RecordOutputs outputs = RecordOutputs.of(exchange);
        if (outputs == null || isTransactional() || configuration.isUseIterator()
                && exchange.getMessage().getBody() instanceof Iterable<?>) {
            return super.process(exchange, callback);
        }
        try {
            ProducerRecord<Object, Object> record = createRecord(exchange, exchange.getMessage());
            identify(record, outputs);
            outputs.batch().sendToKafka(outputs, ExchangeHelper.getAtRouteId(exchange),
                    (Producer<Object, Object>) getKafkaProducer(), record);
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    private boolean isTransactional() {
        return configuration.isTransacted() || configuration.getTransactionalId() != null;
    }

    /** The record's {@code message-id} header as {@link RecordOutputs#nextOutputId} has it. */
    private static void identify(ProducerRecord<Object, Object> record, RecordOutputs outputs) {
        Header current = null;
        for (Header header : record.headers()) {
            if (header.key().equalsIgnoreCase(BridgeHeaders.MESSAGE_ID)) {
                current = header;
            }
        }
        String carried = current == null || current.value() == null ? null
                : new String(current.value(), StandardCharsets.UTF_8);
        String outputId = outputs.nextOutputId(carried);
        if (outputId == null || outputId.equals(carried)) {
            return;
        }
        if (current != null) {
            record.headers().remove(current.key());
        }
        record.headers().add(BridgeHeaders.MESSAGE_ID, outputId.getBytes(StandardCharsets.UTF_8));
    }
}
