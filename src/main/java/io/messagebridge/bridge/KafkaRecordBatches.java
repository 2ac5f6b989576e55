package io.messagebridge.bridge;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.KafkaProducer;
import org.apache.camel.component.kafka.producer.support.ProducerUtil;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.StringHelper;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The {@value #SCHEME} component: sends a {@link KafkaRecordBatch} to a Kafka topic, through the client of the
 * camel-kafka endpoint with the same URI ({@code kafka-batch:orders?lingerMs=5} uses {@code kafka:orders?lingerMs=5},
 * so every {@code camel.component.kafka.*} setting applies). The exchange completes once Kafka answered for every
 * record, and fails, with the reason, if it refused any; each record keeps its own answer.
 * <p>
 * camel-kafka sends a list of exchanges too, but makes each record from an exchange of its own, through a header
 * map, its header filter and serializer: about a quarter of the consuming thread's CPU in a profile of the bridge.
 * Here the records of a batch of RabbitMQ deliveries are made straight from the deliveries, Kafka headers and all
 * ({@link RabbitDeliveriesToKafka}), which is what lets a RabbitMQ to Kafka bridge keep up with a hand-written one.
 */
public final class KafkaRecordBatches extends DefaultComponent {

    public static final String SCHEME = "kafka-batch";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String options = StringHelper.after(uri, "?");
        // the options are camel-kafka's, checked by its endpoint
        parameters.clear();
        return new BatchEndpoint(uri, this, "kafka:" + remaining + (options == null ? "" : "?" + options));
    }

    private static final class BatchEndpoint extends DefaultEndpoint {

        private final String kafkaUri;

        BatchEndpoint(String uri, KafkaRecordBatches component, String kafkaUri) {
            super(uri, component);
            this.kafkaUri = kafkaUri;
        }

        @Override
        public org.apache.camel.Producer createProducer() {
            KafkaEndpoint kafka = getCamelContext().getEndpoint(kafkaUri, KafkaEndpoint.class);
            if (kafka.getConfiguration().isSynchronous()) {
                throw new IllegalArgumentException(getEndpointUri() + ": " + SCHEME + " sends asynchronously; remove synchronous=true");
            }
            return new BatchProducer(this, kafka);
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException(SCHEME + " only sends; consume a topic with kafka:" + kafkaUri);
        }
    }

    private static final class BatchProducer extends DefaultAsyncProducer {

        private final KafkaConfiguration configuration;
        /** camel-kafka's producer, which creates, checks (health) and closes the client and its worker threads. */
        private final KafkaProducer kafka;

        BatchProducer(BatchEndpoint endpoint, KafkaEndpoint kafkaEndpoint) {
            super(endpoint);
            this.configuration = kafkaEndpoint.getConfiguration();
            this.kafka = new KafkaProducer(kafkaEndpoint);
        }

        @Override
        protected void doStart() throws Exception {
            ServiceHelper.startService(kafka);
        }

        @Override
        protected void doStop() throws Exception {
            // closing the client waits for the records in flight; their completions still have the worker threads
            ServiceHelper.stopService(kafka);
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public boolean process(Exchange exchange, AsyncCallback callback) {
            KafkaRecordBatch batch;
            try {
                batch = exchange.getMessage().getMandatoryBody(KafkaRecordBatch.class);
            } catch (InvalidPayloadException e) {
                exchange.setException(e);
                callback.done(true);
                return true;
            }
            Producer client = kafka.getKafkaProducer();
            ExecutorService workers = kafka.getWorkerPool();
            List<KafkaRecordBatch.Record> records = batch.unacknowledged();
            // one more than the records, so that the batch cannot complete before every record was handed to Kafka
            AtomicInteger unanswered = new AtomicInteger(records.size() + 1);
            for (KafkaRecordBatch.Record record : records) {
                Callback answered = (metadata, failure) -> {
                    record.sent(metadata, failure);
                    if (unanswered.decrementAndGet() == 0) {
                        // Kafka's I/O thread must not run the rest of the route
                        workers.execute(() -> complete(exchange, batch, callback, false));
                    }
                };
                try {
                    client.send(new ProducerRecord<>(configuration.getTopic(), null, null,
                            ProducerUtil.tryConvertToSerializedType(exchange, record.key(), configuration.getKeySerializer()),
                            ProducerUtil.tryConvertToSerializedType(exchange, record.value(), configuration.getValueSerializer()),
                            record.headers()), answered);
                } catch (RuntimeException e) {
                    // refused before it was queued (closed client, serializer): an answer like any other
                    answered.onCompletion(null, e);
                }
            }
            if (unanswered.decrementAndGet() == 0) {
                complete(exchange, batch, callback, true);
                return true;
            }
            return false;
        }

        private static void complete(Exchange exchange, KafkaRecordBatch batch, AsyncCallback callback, boolean sync) {
            Exception failure = batch.failure();
            if (failure != null) {
                exchange.setException(failure);
            }
            callback.done(sync);
        }
    }
}
