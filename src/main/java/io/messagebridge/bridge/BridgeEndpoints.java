package io.messagebridge.bridge;

/**
 * The consumer URIs that carry the bridge's delivery guarantee, built from a flow's property prefix so each flow's
 * names and tunables live in application.properties and no route repeats the reliability options.
 */
public final class BridgeEndpoints {

    private BridgeEndpoints() {
    }

    /**
     * A durable queue (quorum by default) bound to a durable topic exchange, consumed with manual acks and many
     * messages in flight ({@link RabbitAcknowledgement} acks each one once its exchange is complete). Rejected
     * messages and dead letters go to {@code <queue><dead-letter queue suffix>} through the dead-letter exchange.
     * Keys: {@code <flow>.exchange, .queue, .binding-key, .queue-type, .prefetch, .consumers}.
     */
    public static String rabbitMqSource(String flow) {
        return "spring-rabbitmq:{{" + flow + ".exchange}}"
                + "?queues={{" + flow + ".queue}}"
                + "&routingKey={{" + flow + ".binding-key}}"
                + "&exchangeType=topic"
                + "&autoDeclare=true"
                + "&arg.queue.durable=true"
                + "&arg.queue.x-queue-type={{" + flow + ".queue-type}}"
                + "&acknowledgeMode=MANUAL"
                + "&asyncConsumer=true"
                + "&prefetchCount={{" + flow + ".prefetch}}"
                + "&concurrentConsumers={{" + flow + ".consumers}}"
                + "&deadLetterExchange={{bridge.dead-letter.exchange}}"
                + "&deadLetterExchangeType=direct"
                + "&deadLetterQueue={{" + flow + ".queue}}{{bridge.dead-letter.queue-suffix}}"
                + "&deadLetterRoutingKey={{" + flow + ".queue}}";
    }

    /**
     * A Kafka topic consumed in batches in a consumer group that starts from the earliest offset, with auto-commit
     * off: {@link KafkaBatchCommit} commits each batch after it is delivered.
     * Keys: {@code <flow>.topic, .group, .max-poll-records, .batch-interval-ms, .max-poll-interval-ms, .consumers}.
     */
    public static String kafkaSource(String flow) {
        return "kafka:{{" + flow + ".topic}}"
                + "?groupId={{" + flow + ".group}}"
                + "&autoOffsetReset=earliest"
                + "&autoCommitEnable=false"
                + "&allowManualCommit=true"
                + "&kafkaManualCommitFactory=#class:org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory"
                + "&batching=true"
                + "&maxPollRecords={{" + flow + ".max-poll-records}}"
                + "&batchingIntervalMs={{" + flow + ".batch-interval-ms}}"
                + "&pollTimeoutMs={{" + flow + ".batch-interval-ms}}"
                + "&maxPollIntervalMs={{" + flow + ".max-poll-interval-ms}}"
                + "&consumersCount={{" + flow + ".consumers}}";
    }
}
