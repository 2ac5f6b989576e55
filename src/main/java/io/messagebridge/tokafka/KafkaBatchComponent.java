package io.messagebridge.tokafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.DelegateEndpoint;
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
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The {@value #SCHEME} component: sends a {@link KafkaRecordBatch} to a Kafka topic, through the client of the
 * camel-kafka endpoint with the same URI ({@code kafka-batch:orders?lingerMs=5} uses {@code kafka:orders?lingerMs=5}):
 * every client setting of camel-kafka applies ({@code camel.component.kafka.*}: brokers, acks, idempotence, batching,
 * compression, security, serializers). The records carry their own key and headers, so camel-kafka's per-message
 * settings (key, partitionKey, its header filter and serializer, the kafka.OVERRIDE_* headers) do not, and
 * transactions are refused. The exchange completes once Kafka answered for every record, and fails, with a reason, if
 * it refused any; each record keeps its own answer.
 * <p>
 * camel-kafka sends a list of exchanges too, but makes each record from an exchange of its own, through a header
 * map, its header filter and serializer, which costs the consuming thread much of its CPU (BENCHMARKS.md). Here the
 * records of a batch of RabbitMQ deliveries are made straight from the deliveries, Kafka headers and all
 * ({@link RabbitDeliveriesToKafka}), which is what lets a RabbitMQ to Kafka bridge keep up with a hand-written
 * one.
 */
public final class KafkaBatchComponent extends DefaultComponent {

    public static final String SCHEME = "kafka-batch";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String options = StringHelper.after(uri, "?");
        // the options are camel-kafka's: its endpoint checks them now, so that validate and reload report them
        parameters.clear();
        KafkaEndpoint kafka = getCamelContext().getEndpoint(
                "kafka:" + remaining + (options == null ? "" : "?" + options), KafkaEndpoint.class);
        String unsupported = unsupported(kafka.getConfiguration());
        if (unsupported != null) {
            throw new IllegalArgumentException(uri + ": " + SCHEME + " " + unsupported);
        }
        return new BatchEndpoint(uri, this, kafka);
    }

    private static String unsupported(KafkaConfiguration configuration) {
        if (configuration.isSynchronous()) {
            return "sends asynchronously; remove synchronous=true";
        }
        if (configuration.isTransacted() || configuration.getTransactionalId() != null
                || configuration.getAdditionalProperties().containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
            return "sends without transactions; remove transacted, transactionalId and transactional.id";
        }
        if (configuration.getKey() != null || configuration.getPartitionKey() != null) {
            return "sends each record with its own key; remove key and partitionKey";
        }
        return null;
    }

    /** Delegates to its camel-kafka endpoint: what reads endpoints (the topics created at start-up) finds the topic there. */
    private static final class BatchEndpoint extends DefaultEndpoint implements DelegateEndpoint {

        private final KafkaEndpoint kafka;

        BatchEndpoint(String uri, KafkaBatchComponent component, KafkaEndpoint kafka) {
            super(uri, component);
            this.kafka = kafka;
        }

        @Override
        public Endpoint getEndpoint() {
            return kafka;
        }

        @Override
        public org.apache.camel.Producer createProducer() {
            return new BatchProducer(this, kafka);
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException(SCHEME + " only sends; consume a topic with " + kafka.getEndpointUri());
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
                int attempt = record.sending();
                Callback answer = (metadata, failure) -> {
                    if (record.answered(attempt, metadata, failure) && unanswered.decrementAndGet() == 0) {
                        completeOn(workers, exchange, batch, callback);
                    }
                };
                try {
                    client.send(new ProducerRecord<>(configuration.getTopic(), null, null,
                            ProducerUtil.tryConvertToSerializedType(exchange, record.key(), configuration.getKeySerializer()),
                            ProducerUtil.tryConvertToSerializedType(exchange, record.value(), configuration.getValueSerializer()),
                            record.headers()), answer);
                } catch (RuntimeException e) {
                    // refused before it was queued (closed client, serializer): an answer like any other
                    answer.onCompletion(null, e);
                }
            }
            if (unanswered.decrementAndGet() == 0) {
                complete(exchange, batch, callback, true);
                return true;
            }
            return false;
        }

        /** The rest of the route runs on a worker thread: never on Kafka's I/O thread, which would stall every send. */
        private static void completeOn(ExecutorService workers, Exchange exchange, KafkaRecordBatch batch,
                                       AsyncCallback callback) {
            try {
                workers.execute(() -> complete(exchange, batch, callback, false));
            } catch (RejectedExecutionException e) {
                // the workers are gone (a forced stop): the exchange must complete all the same
                complete(exchange, batch, callback, false);
            }
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
