package io.messagebridge.mapping;

import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** RabbitMQ routing keys built from message content. */
public final class RoutingKeys {

    private static final Pattern FIELD = Pattern.compile("<([^<>]+)>");

    private RoutingKeys() {
    }

    /**
     * A routing-key pattern with each {@code <field>} replaced by that top-level field's value, lower-cased:
     * {@code shipment.<status>} and {"status":"DELIVERED"} give {@code shipment.delivered}. Dots and wildcard
     * characters in a value would change how topic bindings match, so they are refused.
     */
    public static String fromPattern(byte[] body, String pattern) {
        return fromPattern(() -> JsonFields.topLevelFields(body), pattern);
    }

    /** The same from the body's tree, parsed only if the pattern has a field. */
    public static String fromPattern(Supplier<JsonNode> body, String pattern) {
        Matcher fields = FIELD.matcher(pattern);
        if (!fields.find()) {
            return pattern;
        }
        JsonNode object = body.get();
        StringBuilder key = new StringBuilder();
        do {
            fields.appendReplacement(key, Matcher.quoteReplacement(part(object, fields.group(1))));
        } while (fields.find());
        return fields.appendTail(key).toString();
    }

    private static String part(JsonNode object, String field) {
        String value = JsonFields.requiredText(object, field).trim().toLowerCase(Locale.ROOT);
        if (value.contains(".") || value.contains("*") || value.contains("#") || value.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidMessageException("'" + field + "' cannot be part of a routing key (it has a dot, *, # or a space)",
                    "'" + value + "'", null);
        }
        return value;
    }
}
