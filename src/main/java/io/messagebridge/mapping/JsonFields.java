package io.messagebridge.mapping;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads the fields that route a message (a record key, a routing-key part) out of a JSON body. */
public final class JsonFields {

    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonFields() {
    }

    /**
     * The top-level fields of a JSON object, which is all these readers read, or one phrase on why the body is not
     * one. The parser still reads all of the body (a body that is not JSON, or has a duplicate field at any depth, is
     * refused), but an object or array value stands as an empty one: no node and no string is made for what lies
     * inside it, which was most of what reading a field cost (see {@link #topLevelFields(Map)} for a body already
     * unmarshalled).
     */
    public static JsonNode topLevelFields(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidMessageException("empty body, expected a JSON object");
        }
        JsonNodeFactory nodes = MAPPER.getNodeFactory();
        try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                parser.skipChildren();
                throw new InvalidMessageException("body is JSON but not an object");
            }
            ObjectNode fields = nodes.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                fields.set(name, scalar(nodes, parser, parser.nextToken()));
                parser.skipChildren();
            }
            return fields;
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /** The node Jackson's tree would hold for a scalar; an empty one for an object or array. */
    private static JsonNode scalar(JsonNodeFactory nodes, JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDoubleValue());
            case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(value == JsonToken.VALUE_TRUE);
            case START_OBJECT -> nodes.objectNode();
            case START_ARRAY -> nodes.arrayNode();
            default -> nodes.nullNode();
        };
    }

    /** The text of a top-level field that must be present and a non-empty string or number. */
    public static String requiredText(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidMessageException("no '" + field + "' field");
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new InvalidMessageException("'" + field + "' must be a string or a number, not " + value.getNodeType()
                    .name().toLowerCase(Locale.ROOT));
        }
        String text = value.asText();
        if (text.isBlank()) {
            throw new InvalidMessageException("'" + field + "' is empty");
        }
        return text;
    }

    /** The text of a top-level string or number field; null if the field is missing, null, an object or an array. */
    public static String optionalText(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && (value.isTextual() || value.isNumber()) ? value.asText() : null;
    }

    /** A top-level field that must be a number, or a string that reads as one (an amount such as "1500.25"). */
    public static BigDecimal requiredNumber(JsonNode object, String field) {
        String text = requiredText(object, field);
        if (!NUMBER.matcher(text).matches()) {
            throw new InvalidMessageException("'" + field + "' must be a number", "'" + text + "'", null);
        }
        return new BigDecimal(text);
    }

    /**
     * A JSON object already unmarshalled into a map, as a tree of its top-level fields, which is all these readers
     * read: an object or array value stands as an empty one, the rest is wrapped, not copied or parsed.
     */
    public static JsonNode topLevelFields(Map<?, ?> object) {
        JsonNodeFactory nodes = MAPPER.getNodeFactory();
        ObjectNode tree = nodes.objectNode();
        object.forEach((name, value) -> tree.set(String.valueOf(name), shallow(nodes, value)));
        return tree;
    }

    private static JsonNode shallow(JsonNodeFactory nodes, Object value) {
        if (value == null) {
            return nodes.nullNode();
        } else if (value instanceof String text) {
            return nodes.textNode(text);
        } else if (value instanceof Integer || value instanceof Long) {
            return nodes.numberNode(((Number) value).longValue());
        } else if (value instanceof Double number) {
            return nodes.numberNode(number);
        } else if (value instanceof BigDecimal number) {
            return nodes.numberNode(number);
        } else if (value instanceof BigInteger number) {
            return nodes.numberNode(number);
        } else if (value instanceof Boolean bool) {
            return nodes.booleanNode(bool);
        } else if (value instanceof Map<?, ?>) {
            return nodes.objectNode();
        } else if (value instanceof Iterable<?>) {
            return nodes.arrayNode();
        }
        return nodes.pojoNode(value);
    }

    /**
     * The same straight from the body, without building its tree: the parser still reads all of it (so a body that
     * is not JSON, or has a duplicate field, is still refused), but makes no string of the values it skips. A record
     * key is read from every message that crosses to Kafka; this is most of the bridge's own work per message.
     */
    public static String requiredText(byte[] body, String field) {
        if (body == null || body.length == 0) {
            throw new InvalidMessageException("empty body, expected a JSON object");
        }
        try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                throw new InvalidMessageException("body is JSON but not an object");
            }
            String text = null;
            JsonToken found = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = field.equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (wanted) {
                    found = value;
                    text = scalarText(parser, value);
                }
                parser.skipChildren();
            }
            return checked(field, found, text);
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /** What {@link JsonNode#asText()} gives for a string or number, so that both ways read the same key. */
    private static String scalarText(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue().toString();
            case VALUE_NUMBER_FLOAT -> Double.toString(parser.getDoubleValue());
            default -> null;
        };
    }

    private static String checked(String field, JsonToken found, String text) {
        if (found == null || found == JsonToken.VALUE_NULL) {
            throw new InvalidMessageException("no '" + field + "' field");
        }
        if (text == null) {
            throw new InvalidMessageException("'" + field + "' must be a string or a number, not " + switch (found) {
                case START_OBJECT -> "object";
                case START_ARRAY -> "array";
                case VALUE_TRUE, VALUE_FALSE -> "boolean";
                default -> found.name().toLowerCase(Locale.ROOT);
            });
        }
        if (text.isBlank()) {
            throw new InvalidMessageException("'" + field + "' is empty");
        }
        return text;
    }

    /** Where the parser stopped, as the reason; what it found there (a piece of the body) as the quote. */
    private static InvalidMessageException notJson(IOException e) {
        if (e instanceof JsonProcessingException json) {
            JsonLocation at = json.getLocation();
            String reason = at == null ? "body is not valid JSON"
                    : "body is not valid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return new InvalidMessageException(reason, firstLine(json.getOriginalMessage()), e);
        }
        return new InvalidMessageException("body is not readable", firstLine(e.getMessage()), e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
