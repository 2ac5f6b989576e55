package io.messagebridge.language;

import org.apache.camel.Expression;

/**
 * The {@code jsonfield} language: the text of a required top-level field of a JSON body, for record keys and
 * routing decisions in Java and YAML routes alike. Unlike jsonpath, a missing, null, empty, object or array value
 * is a bad message (dead-lettered), never a key. A field named with a trailing {@code ?} ({@code status?}) is optional:
 * missing, null or not a string or number, it gives no value instead.
 * <pre>
 * - setHeader:
 *     name: kafka.KEY
 *     expression:
 *       language: { language: jsonfield, expression: orderId }
 * </pre>
 */
public final class JsonFieldLanguage extends JsonBodyLanguage {

    @Override
    public Expression createExpression(String field) {
        String name = field.trim();
        return name.endsWith("?") ? JsonFieldExpression.optionalText(name.substring(0, name.length() - 1).trim())
                : JsonFieldExpression.text(name);
    }
}
