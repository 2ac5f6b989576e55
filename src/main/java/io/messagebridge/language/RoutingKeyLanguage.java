package io.messagebridge.language;

import org.apache.camel.Expression;

/**
 * The {@code routingkey} language: a RabbitMQ routing key from a pattern whose {@code <field>} parts are the
 * lower-cased values of top-level JSON fields, e.g. {@code order.high-value.<region>}. A missing field, or a value
 * with dots, wildcards or spaces, is a bad message (dead-lettered).
 */
public final class RoutingKeyLanguage extends JsonBodyLanguage {

    @Override
    public Expression createExpression(String pattern) {
        return JsonFieldExpression.routingKey(pattern.trim());
    }
}
