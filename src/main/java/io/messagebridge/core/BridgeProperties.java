package io.messagebridge.core;

/**
 * The names of the exchange properties the bridge's steps hand each other, in one place as camel-kafka's
 * {@code KafkaConstants} keeps its header names: a step that reads one finds here who writes it. All are internal to
 * one exchange (nothing leaves the process under these names), and all start with {@code bridge.} so they never meet
 * Camel's own.
 */
public final class BridgeProperties {

    /** How many messages a batch exchange delivered (a number), for the route's statistics; 1 if absent. */
    public static final String FORWARDED = "bridge.forwarded";
    /** Set on an exchange that delivered nothing by design (a dead letter written, a duplicate dropped). */
    public static final String NOT_FORWARDED = "bridge.notForwarded";
    /** A batch of RabbitMQ deliveries: its {@link BatchOutcome}, when the deliveries did not all fare alike. */
    public static final String BATCH_OUTCOME = "bridge.batchOutcome";
    /** The messages of a batch set aside as dead letters, written once the batch is delivered. */
    public static final String BATCH_DEAD_LETTERS = "bridge.batchDeadLetters";
    /** The sends of a whole batch that a route of yours made, confirmed together. */
    public static final String BATCH_OUTPUTS = "bridge.batchOutputs";
    /** The sends of one input of such a batch. */
    public static final String RECORD_OUTPUTS = "bridge.recordOutputs";
    /** The AMQP messages a Kafka batch will publish, in order, until their confirms are in. */
    public static final String PENDING_PUBLISHES = "bridge.pendingPublishes";
    /** The key under which deduplication remembers a message once delivered. */
    public static final String DEDUP_KEY = "bridge.dedupKey";
    /**
     * An int set on a failed batch: how many of its inputs, counted from its first, reached their destinations. Its
     * Kafka source commits those and rewinds to the rest. Absent means none.
     */
    public static final String SETTLED_INPUTS = "bridge.settledInputs";
    /** A Kafka batch that a rewind made obsolete: its steps skip it. */
    public static final String KAFKA_BATCH_SKIPPED = "bridge.kafkaBatchSkipped";
    /** A message body parsed as JSON once, for every jsonfield expression of the exchange. */
    public static final String PARSED_JSON_BODY = "bridge.parsedJsonBody";
    /** Route property (not an exchange property): the route retries a failed batch without blocking its consumer. */
    public static final String ASYNC_REDELIVERY = "bridge.async-redelivery";

    private BridgeProperties() {
    }
}
