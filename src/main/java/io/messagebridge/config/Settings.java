package io.messagebridge.config;

import java.util.OptionalInt;
import java.util.function.Function;

import org.apache.camel.CamelContext;

/**
 * Typed, validated access to the application's properties. Values come from Camel's properties component, so
 * placeholders and environment-variable overrides apply; a bad value fails fast with the key and the value.
 */
public final class Settings {

    private final Function<String, String> lookup;

    public Settings(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** The context's properties: application.properties, the environment and any placeholders in them. */
    public static Settings of(CamelContext context) {
        return new Settings(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
    }

    public String text(String key) {
        String value = lookup.apply(key);
        if (value == null || value.isBlank()) {
            throw new InvalidSettingException(key, value, "a value is required");
        }
        return value.trim();
    }

    public String text(String key, String defaultValue) {
        String value = lookup.apply(key);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    public int integer(String key, int min, int max) {
        return number(key, min, max, Integer::valueOf, "not a whole number");
    }

    /** A whole number, or empty when the key has no value: the caller works one out then. */
    public OptionalInt optionalInteger(String key, int min, int max) {
        return text(key, null) == null ? OptionalInt.empty() : OptionalInt.of(integer(key, min, max));
    }

    public double decimal(String key, double min, double max) {
        return number(key, min, max, Double::valueOf, "not a number");
    }

    private <N extends Comparable<N>> N number(String key, N min, N max, Function<String, N> parse, String notOne) {
        String value = text(key);
        N number;
        try {
            number = parse.apply(value);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, value, notOne);
        }
        if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
            throw new InvalidSettingException(key, value, "must be between " + min + " and " + max);
        }
        return number;
    }

    /** One of a fixed set of words, case-insensitive; returned in the case given in {@code allowed}. */
    public String oneOf(String key, String... allowed) {
        String value = text(key);
        for (String word : allowed) {
            if (word.equalsIgnoreCase(value)) {
                return word;
            }
        }
        throw new InvalidSettingException(key, value, "expected one of " + String.join(", ", allowed));
    }

    public int port(String key) {
        return integer(key, 1, 65535);
    }

    /** A comma-separated list of host:port pairs, as Kafka's bootstrap.servers. */
    public String hostPortList(String key) {
        String value = text(key);
        for (String address : value.split(",")) {
            String trimmed = address.trim();
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new InvalidSettingException(key, value, "expected host:port[,host:port...]");
            }
            String port = trimmed.substring(colon + 1);
            if (!port.chars().allMatch(Character::isDigit) || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new InvalidSettingException(key, value, "'" + port + "' is not a port number");
            }
        }
        return value;
    }
}
