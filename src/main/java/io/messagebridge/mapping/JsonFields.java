package io.messagebridge.mapping;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Reads the fields that route a message (a record key, a routing-key part) out of a JSON body. */
public final class JsonFields {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonFields() {
    }

    /** Parses a JSON object, or says in one phrase why the body is not one. */
    public static JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidMessageException("empty body, expected a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InvalidMessageException("body is not valid JSON: " + firstLine(originalMessage(e)), e);
        }
        if (node == null || !node.isObject()) {
            throw new InvalidMessageException("body is JSON but not an object");
        }
        return node;
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

    public static String requiredText(byte[] body, String field) {
        return requiredText(parseObject(body), field);
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
