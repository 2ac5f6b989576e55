package io.messagebridge.bridge;

/** RabbitMQ returned a mandatory message: no queue is bound to its exchange for its routing key. */
public class UnroutableMessageException extends RuntimeException {

    public UnroutableMessageException(String exchange, String routingKey, String replyText) {
        super("unroutable: no queue bound to exchange '" + exchange + "' for routing key '" + routingKey + "' ("
                + replyText + ")");
    }
}
