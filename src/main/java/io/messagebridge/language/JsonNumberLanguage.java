package io.messagebridge.language;

import org.apache.camel.Expression;

/**
 * The {@code jsonnumber} language: the number a required top-level field of a JSON body holds, as a BigDecimal (a
 * JSON number, or a string of one such as "1500.25"), for filters and routing on amounts. A missing field, or one that
 * is not a number, is a bad message (dead-lettered).
 * <pre>
 * - setProperty:
 *     name: total
 *     expression:
 *       language: { language: jsonnumber, expression: total }
 * </pre>
 */
public final class JsonNumberLanguage extends JsonBodyLanguage {

    @Override
    public Expression createExpression(String field) {
        return JsonFieldExpression.number(field.trim());
    }
}
