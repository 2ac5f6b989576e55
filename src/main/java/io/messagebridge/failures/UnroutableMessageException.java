package io.messagebridge.failures;

import com.rabbitmq.client.Return;

/** RabbitMQ returned a mandatory message: no queue is bound to its exchange for its routing key. */
public class UnroutableMessageException extends RuntimeException {

    /** What RabbitMQ said when it returned a mandatory message. */
    public static UnroutableMessageException of(Return returned) {
        return new UnroutableMessageException(returned.getExchange(), returned.getRoutingKey(), returned.getReplyText());
    }

    public UnroutableMessageException(String exchange, String routingKey, String replyText) {
        super("unroutable: no queue bound to exchange '" + exchange + "' for routing key '" + routingKey + "' ("
                + replyText + ")");
    }
}
