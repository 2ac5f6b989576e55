package io.messagebridge.management;

/**
 * JMX view of one bridge route (every route that consumes from RabbitMQ or Kafka), registered as
 * {@code io.messagebridge:type=Bridge,name=<route id>} while the route exists.
 */
public interface BridgeRouteMBean {

    String getRouteId();

    /** The route's source, as an endpoint URI (secrets masked). */
    String getSource();

    /** Started, Suspended (paused), Stopped... as Camel reports it. */
    String getState();

    /** Messages the destination has (Kafka ack, RabbitMQ confirm). */
    long getMessagesForwarded();

    /** Messages sent to the dead-letter queue or topic. */
    long getMessagesDeadLettered();

    /** Retries of transient failures. */
    long getMessagesRedelivered();

    /** Messages dropped by deduplication (bridge.dedup.enabled). */
    long getDuplicatesDropped();

    /**
     * Records the route's Kafka consumer group is behind, summed over its partitions, as last sampled
     * (bridge.lag.sample-interval-ms); -1 for a RabbitMQ route, before the first sample, or with sampling off.
     */
    long getConsumerLag();

    /** Ready messages in the route's RabbitMQ queue, as last sampled; -1 for a Kafka route, or not sampled. */
    long getQueueDepth();

    /** When {@link #getConsumerLag()} or {@link #getQueueDepth()} was last sampled (ISO-8601), or null. */
    String getBacklogSampledAt();

    /** The last failure: a retried error, a dead letter's reason, or a message left at its source. */
    String getLastError();

    /** When the last failure happened (ISO-8601), or null. */
    String getLastErrorTime();

    /** Stops taking messages: they wait in the source; in-flight messages are finished and acked first. */
    void pause() throws Exception;

    /** Takes messages again after {@link #pause()}. */
    void resume() throws Exception;

    /** Dead letters of this route waiting in its dead-letter queue or topic. */
    long countDeadLetters() throws Exception;

    /** Moves up to {@code max} dead letters back to this route's source, oldest first; returns how many. */
    int replayDeadLetters(int max) throws Exception;
}
