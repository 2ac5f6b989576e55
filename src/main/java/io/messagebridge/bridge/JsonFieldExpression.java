package io.messagebridge.bridge;

import io.messagebridge.mapping.JsonFields;
import io.messagebridge.mapping.RoutingKeys;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.ExpressionAdapter;

/** Camel expressions over a JSON body; a body that lacks the field fails the exchange with InvalidMessageException. */
public final class JsonFieldExpression {

    private JsonFieldExpression() {
    }

    /** The text of a required top-level field, e.g. a record key. */
    public static Expression text(String field) {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return JsonFields.requiredText(exchange.getMessage().getBody(byte[].class), field);
            }

            @Override
            public String toString() {
                return "jsonfield(" + field + ")";
            }
        };
    }

    /** A routing key from a pattern such as {@code shipment.<status>}: see {@link RoutingKeys#fromPattern}. */
    public static Expression routingKey(String pattern) {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return RoutingKeys.fromPattern(exchange.getMessage().getBody(byte[].class), pattern);
            }

            @Override
            public String toString() {
                return "routingkey(" + pattern + ")";
            }
        };
    }
}
