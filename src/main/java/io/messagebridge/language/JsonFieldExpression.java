package io.messagebridge.language;

import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import io.messagebridge.core.BridgeProperties;
import io.messagebridge.mapping.JsonFields;
import io.messagebridge.mapping.RoutingKeys;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.ExpressionAdapter;

/**
 * Camel expressions over a JSON body (its bytes, or the map a Jackson unmarshal made of it); a body that lacks the
 * field fails the exchange with InvalidMessageException.
 * The body is parsed once for all of them: its tree stays on the exchange while the body is the same bytes, so a route
 * that reads a key, a region and a routing key from a message parses it once, not three times.
 */
public final class JsonFieldExpression {

    private JsonFieldExpression() {
    }

    /** The text of a required top-level field, e.g. a record key. */
    public static Expression text(String field) {
        return expression("jsonfield(" + field + ")", exchange -> JsonFields.requiredText(tree(exchange), field));
    }

    /** The text of an optional top-level field: null if it is missing, null, or not a string or a number. */
    public static Expression optionalText(String field) {
        return expression("jsonfield(" + field + "?)", exchange -> JsonFields.optionalText(tree(exchange), field));
    }

    /** The number a required top-level field holds (a JSON number, or a string of one), as a BigDecimal. */
    public static Expression number(String field) {
        return expression("jsonnumber(" + field + ")", exchange -> JsonFields.requiredNumber(tree(exchange), field));
    }

    /** A routing key from a pattern such as {@code shipment.<status>}: see {@link RoutingKeys#fromPattern}. */
    public static Expression routingKey(String pattern) {
        return expression("routingkey(" + pattern + ")", exchange -> RoutingKeys.fromPattern(() -> tree(exchange), pattern));
    }

    private static Expression expression(String name, Function<Exchange, Object> value) {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return value.apply(exchange);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** The body's tree: parsed from its bytes, or made from the map it was unmarshalled into. */
    private static JsonNode tree(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof Map<?, ?>)) {
            body = exchange.getMessage().getBody(byte[].class);
        }
        ParsedBody parsed = exchange.getProperty(BridgeProperties.PARSED_JSON_BODY, ParsedBody.class);
        if (parsed == null || parsed.body() != body) {
            parsed = new ParsedBody(body, body instanceof Map<?, ?> map ? JsonFields.topLevelFields(map)
                    : JsonFields.topLevelFields((byte[]) body));
            exchange.setProperty(BridgeProperties.PARSED_JSON_BODY, parsed);
        }
        return parsed.tree();
    }

    /** A body and its tree: the tree holds only while the body is the very same object. */
    private record ParsedBody(Object body, JsonNode tree) {
    }
}
