package io.messagebridge.dedup;

import java.util.List;
import java.util.Optional;
import java.util.Properties;

import io.messagebridge.config.KafkaSecurity;
import io.messagebridge.config.Settings;
import io.messagebridge.core.BridgeProperties;
import io.messagebridge.core.RouteCounting;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.util.function.ThrowingFunction;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optional deduplication ({@code bridge.dedup.enabled}): a message whose id was already delivered is not delivered
 * again. The id is remembered only once the destination has the message (Kafka ack, RabbitMQ confirm of its whole
 * batch), never for a message that was dead-lettered or whose batch will be delivered again, so deduplication can
 * drop a redelivered copy but never a message that did not arrive. That is why the routes use these steps rather
 * than Camel's idempotentConsumer, which would also remember dead-lettered messages and records whose batch then
 * failed. A message without an id is never dropped.
 * <p>
 * Repositories: {@code memory} (an LRU of {@code bridge.dedup.memory-size} ids per instance; catches the redeliveries
 * that follow a lost ack or a broker restart) or {@code kafka} (a compacted-style topic shared by all instances and
 * kept across restarts; each remembered id is one synchronous write).
 */
public final class Deduplication {

    private static final Logger LOG = LoggerFactory.getLogger(Deduplication.class);

    private final IdempotentRepository repository;
    private final Expression id;

    private Deduplication(IdempotentRepository repository, Expression id) {
        this.repository = repository;
        this.id = id;
    }

    /** The deduplication the settings ask for; the repository is started and stopped with the context. */
    public static Deduplication from(CamelContext context) throws Exception {
        Settings settings = Settings.of(context);
        if (!enabled(settings)) {
            return new Deduplication(null, null);
        }
        Expression id = context.resolveLanguage("simple").createExpression(settings.text("bridge.dedup.id-expression"));
        IdempotentRepository repository = kafkaTopic(settings).map(topic -> kafkaRepository(settings, topic))
                .orElseGet(() -> MemoryIdempotentRepository.memoryIdempotentRepository(
                        settings.integer("bridge.dedup.memory-size", 1, 100_000_000)));
        context.addService(repository, true, true);
        return new Deduplication(repository, id);
    }

    /** The topic the kafka repository reads and writes, if deduplication is on and uses it. */
    public static Optional<String> kafkaTopic(Settings settings) {
        boolean kafka = enabled(settings) && settings.oneOf("bridge.dedup.repository", "memory", "kafka").equals("kafka");
        return kafka ? Optional.of(settings.text("bridge.dedup.kafka-topic")) : Optional.empty();
    }

    private static boolean enabled(Settings settings) {
        return Boolean.parseBoolean(settings.oneOf("bridge.dedup.enabled", "true", "false"));
    }

    private static IdempotentRepository kafkaRepository(Settings settings, String topic) {
        Properties consumer = new Properties();
        consumer.putAll(KafkaSecurity.clientProperties(settings));
        Properties producer = new Properties();
        producer.putAll(KafkaSecurity.clientProperties(settings));
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaIdempotentRepository(topic, consumer, producer,
                settings.integer("bridge.dedup.memory-size", 1, 100_000_000), 100);
    }

    /** Whether ids are checked at all: without, there is nothing to keep for them. */
    public boolean isEnabled() {
        return repository != null;
    }

    /** For {@code filter(...)}: true unless the message's id was delivered before. */
    public Predicate isNew() {
        return this::isNew;
    }

    private boolean isNew(Exchange exchange) {
        return repository == null || isNewId(exchange);
    }

    /**
     * The same for one record of a batch exchange, which gets an exchange of its own (of the batch's route) to keep
     * its id in until {@link #rememberAll}.
     */
    public boolean isNew(Exchange batch, Message record) {
        if (repository == null) {
            return true;
        }
        Exchange own = new DefaultExchange(batch);
        own.setIn(record);
        return isNewId(own);
    }

    /** Whether the message's id is new; keeps it in the exchange for after delivery, counts a duplicate. */
    private boolean isNewId(Exchange exchange) {
        String messageId = id.evaluate(exchange, String.class);
        if (messageId == null || messageId.isBlank()) {
            return true;
        }
        // ids are kept per route: the same id travelling the other way is another message
        String key = exchange.getFromRouteId() + ":" + messageId;
        exchange.setProperty(BridgeProperties.DEDUP_KEY, key);
        if (repository.contains(key)) {
            LOG.debug("Dropping duplicate {} on route {}", key, exchange.getFromRouteId());
            RouteCounting.countDuplicate(exchange);
            return false;
        }
        return true;
    }

    /** After the destination has the message: remember its id. */
    public Processor rememberDelivered() {
        return this::remember;
    }

    /**
     * After a batch was delivered: remember the ids of the messages it delivered, as {@code delivered} lists them
     * (each message the one {@link #isNew(Exchange, Message)} was asked about).
     */
    public Processor rememberAll(ThrowingFunction<Exchange, List<Message>, Exception> delivered) {
        return batch -> {
            if (repository == null) {
                return;
            }
            for (Message message : delivered.apply(batch)) {
                remember(message.getExchange());
            }
        };
    }

    private void remember(Exchange exchange) {
        String key = exchange == null ? null : exchange.getProperty(BridgeProperties.DEDUP_KEY, String.class);
        if (repository != null && key != null) {
            repository.add(key);
        }
    }
}
