package io.messagebridge.mapping;

import java.util.Locale;

/** RabbitMQ routing keys built from message content. */
public final class RoutingKeys {

    private RoutingKeys() {
    }

    /**
     * prefix + the field's value lower-cased, e.g. "shipment." + "DELIVERED" gives "shipment.delivered". Dots and
     * wildcard characters in the value would change how topic bindings match, so they are refused.
     */
    public static String fromField(byte[] body, String field, String prefix) {
        String value = JsonFields.requiredText(body, field).trim().toLowerCase(Locale.ROOT);
        if (value.contains(".") || value.contains("*") || value.contains("#") || value.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidMessageException("'" + field + "' value '" + value + "' cannot be part of a routing key");
        }
        return prefix + value;
    }
}
