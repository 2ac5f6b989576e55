package io.messagebridge.errors;

import java.time.Instant;

import io.messagebridge.core.BridgeHeaders;
import io.messagebridge.failures.LoggedReason;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Adds to a dead letter (whose body and headers are the original message's) why and where it failed, and logs one
 * line for it: route, reason, message id. Bodies are never logged, nor any piece of them ({@link LoggedReason}). Where
 * the message came from is the application's own knowledge, never the message's: headers named like the ones this
 * adds, or like camel-kafka's, that a publisher put on it are dropped first, so they cannot steer its dead letter.
 */
public final class DeadLetterHeaders implements Processor {

    public static final String ERROR_CLASS = "x-error-class";
    public static final String ERROR_MESSAGE = "x-error-message";
    public static final String ERROR_ROUTE = "x-error-route";
    public static final String ERROR_ATTEMPTS = "x-error-attempts";
    public static final String ERROR_TIME = "x-error-time";
    public static final String ORIGIN_EXCHANGE = "x-origin-exchange";
    public static final String ORIGIN_ROUTING_KEY = "x-origin-routing-key";
    public static final String ORIGIN_QUEUE = "x-origin-queue";
    public static final String ORIGIN_TOPIC = "x-origin-topic";
    public static final String ORIGIN_PARTITION = "x-origin-partition";
    public static final String ORIGIN_OFFSET = "x-origin-offset";
    /** The route that took the message from its queue or topic: the one a replay of it is meant for. */
    public static final String ORIGIN_ROUTE = "x-origin-route";
    /**
     * On a replayed Kafka record: the route that is to handle it; the other routes of the bridge templates that read
     * its topic skip it ({@link io.messagebridge.kafka.ReplayedRecords}).
     */
    /** Every header a replay adds starts so. */
    public static final String REPLAY_PREFIX = "x-replay-";
    public static final String REPLAY_ROUTE = REPLAY_PREFIX + "route";
    /** On a replayed RabbitMQ message: the exchange and routing key it first came through. */
    public static final String REPLAY_EXCHANGE = REPLAY_PREFIX + "exchange";
    public static final String REPLAY_ROUTING_KEY = REPLAY_PREFIX + "routing-key";

    private static final Logger LOG = LoggerFactory.getLogger("io.messagebridge.dead-letters");
    private static final String MDC_ROUTE_ID = "camel.routeId";
    private static final String MDC_MESSAGE_ID = "camel.messageId";

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Throwable cause = exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
        String route = exchange.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, exchange.getFromRouteId(), String.class);
        Integer redeliveries = message.getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        message.getHeaders().keySet().removeIf(DeadLetterHeaders::isOwnName);

        message.setHeader(ERROR_CLASS, cause == null ? "unknown" : cause.getClass().getName());
        message.setHeader(ERROR_MESSAGE, cause == null || cause.getMessage() == null ? "" : cause.getMessage());
        message.setHeader(ERROR_ROUTE, route);
        message.setHeader(ERROR_ATTEMPTS, Integer.toString(redeliveries == null ? 1 : redeliveries + 1));
        message.setHeader(ERROR_TIME, Instant.now().toString());
        setIfPresent(message, ORIGIN_ROUTE, exchange.getFromRouteId());

        String origin;
        String messageId;
        // from RabbitMQ, a kafka.TOPIC header is the publisher's: the consumer of a Kafka source sets it
        SpringRabbitMQEndpoint rabbit = exchange.getFromEndpoint() instanceof SpringRabbitMQEndpoint from ? from : null;
        if (rabbit == null && message.getHeader(KafkaConstants.TOPIC) != null) {
            String topic = message.getHeader(KafkaConstants.TOPIC, String.class);
            String partition = message.getHeader(KafkaConstants.PARTITION, String.class);
            String offset = message.getHeader(KafkaConstants.OFFSET, String.class);
            message.setHeader(ORIGIN_TOPIC, topic);
            message.setHeader(ORIGIN_PARTITION, partition);
            message.setHeader(ORIGIN_OFFSET, offset);
            origin = "topic " + topic + " partition " + partition + " offset " + offset;
            messageId = BridgeHeaders.sourceMessageId(message);
        } else {
            // a consumer of several queues cannot say which one a message came from: no dead-letter queue for it
            String queue = rabbit != null && !rabbit.getQueues().contains(",") ? rabbit.getQueues() : null;
            String sourceExchange = message.getHeader(SpringRabbitMQConstants.EXCHANGE_NAME, String.class);
            String routingKey = message.getHeader(SpringRabbitMQConstants.ROUTING_KEY, String.class);
            setIfPresent(message, ORIGIN_QUEUE, queue);
            setIfPresent(message, ORIGIN_EXCHANGE, sourceExchange);
            setIfPresent(message, ORIGIN_ROUTING_KEY, routingKey);
            origin = "queue " + queue + " (exchange " + sourceExchange + ", routing key " + routingKey + ")";
            String id = BridgeHeaders.sourceMessageId(message);
            messageId = id != null ? id : "delivery " + message.getHeader(SpringRabbitMQConstants.DELIVERY_TAG);
        }
        String reason = cause == null ? "unknown" : LoggedReason.of(cause);
        logAs(route, messageId, () -> LOG.warn("Dead letter from route {}: message {} from {}: {}", route, messageId,
                origin, reason));
    }

    /** The line is about the failed route's message, not the dead-letter route's copy: its ids go in the MDC. */
    private static void logAs(String routeId, String messageId, Runnable log) {
        String previousRoute = MDC.get(MDC_ROUTE_ID);
        String previousMessage = MDC.get(MDC_MESSAGE_ID);
        MDC.put(MDC_ROUTE_ID, routeId);
        MDC.put(MDC_MESSAGE_ID, messageId);
        try {
            log.run();
        } finally {
            restore(MDC_ROUTE_ID, previousRoute);
            restore(MDC_MESSAGE_ID, previousMessage);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** x-error-* and x-origin-*, in any case: a message arrives with them only if its publisher set them. */
    private static boolean isOwnName(String header) {
        return header.regionMatches(true, 0, "x-error-", 0, 8) || header.regionMatches(true, 0, "x-origin-", 0, 9);
    }

    private static void setIfPresent(Message message, String name, String value) {
        if (value != null) {
            message.setHeader(name, value);
        }
    }
}
