package io.messagebridge.errors;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds to a dead letter (whose body and headers are the original message's) why and where it failed, and logs one
 * line for it: route, reason, message id. Bodies are never logged.
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

    private static final Logger LOG = LoggerFactory.getLogger("io.messagebridge.dead-letters");

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Throwable cause = exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
        String route = exchange.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, exchange.getFromRouteId(), String.class);
        Integer redeliveries = message.getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);

        message.setHeader(ERROR_CLASS, cause == null ? "unknown" : cause.getClass().getName());
        message.setHeader(ERROR_MESSAGE, cause == null || cause.getMessage() == null ? "" : cause.getMessage());
        message.setHeader(ERROR_ROUTE, route);
        message.setHeader(ERROR_ATTEMPTS, Integer.toString(redeliveries == null ? 1 : redeliveries + 1));
        message.setHeader(ERROR_TIME, Instant.now().toString());

        String origin;
        String messageId;
        if (message.getHeader(KafkaConstants.TOPIC) != null) {
            String topic = message.getHeader(KafkaConstants.TOPIC, String.class);
            String partition = message.getHeader(KafkaConstants.PARTITION, String.class);
            String offset = message.getHeader(KafkaConstants.OFFSET, String.class);
            message.setHeader(ORIGIN_TOPIC, topic);
            message.setHeader(ORIGIN_PARTITION, partition);
            message.setHeader(ORIGIN_OFFSET, offset);
            origin = "topic " + topic + " partition " + partition + " offset " + offset;
            Object id = message.getHeader("message-id");
            messageId = id instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                    : id != null ? id.toString() : topic + "-" + partition + "@" + offset;
        } else {
            // a consumer of several queues cannot say which one a message came from: no dead-letter queue for it
            String queue = exchange.getFromEndpoint() instanceof SpringRabbitMQEndpoint rabbit
                    && !rabbit.getQueues().contains(",") ? rabbit.getQueues() : null;
            String sourceExchange = message.getHeader(SpringRabbitMQConstants.EXCHANGE_NAME, String.class);
            String routingKey = message.getHeader(SpringRabbitMQConstants.ROUTING_KEY, String.class);
            setIfPresent(message, ORIGIN_QUEUE, queue);
            setIfPresent(message, ORIGIN_EXCHANGE, sourceExchange);
            setIfPresent(message, ORIGIN_ROUTING_KEY, routingKey);
            origin = "queue " + queue + " (exchange " + sourceExchange + ", routing key " + routingKey + ")";
            String id = message.getHeader(SpringRabbitMQConstants.MESSAGE_ID, String.class);
            messageId = id != null ? id : "delivery " + message.getHeader(SpringRabbitMQConstants.DELIVERY_TAG);
        }
        LOG.warn("Dead letter from route {}: message {} from {}: {}", route, messageId, origin,
                message.getHeader(ERROR_MESSAGE));
    }

    private static void setIfPresent(Message message, String name, String value) {
        if (value != null) {
            message.setHeader(name, value);
        }
    }
}
