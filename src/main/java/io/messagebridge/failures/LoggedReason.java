package io.messagebridge.failures;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.jayway.jsonpath.InvalidJsonException;
import io.messagebridge.mapping.InvalidMessageException;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.TypeConversionException;

/**
 * A failure as a log line or a JMX attribute may show it: without any piece of the message. The failures that quote
 * the message they refuse (the application's own reasons, Jackson's and jsonpath's parse errors, Camel's type
 * conversions) are told by their kind and place only; the dead letter's {@code x-error-message}, which lives beside
 * the body, keeps the whole text.
 */
public final class LoggedReason {

    private LoggedReason() {
    }

    public static String of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidMessageException invalid) {
                return invalid.reason();
            } else if (cause instanceof JsonProcessingException json) {
                JsonLocation at = json.getLocation();
                return json.getClass().getSimpleName() + (at == null ? "" : " at line " + at.getLineNr()
                        + ", column " + at.getColumnNr());
            } else if (cause instanceof InvalidJsonException) {
                return "body is not valid JSON (jsonpath)";
            } else if (cause instanceof TypeConversionException conversion) {
                return conversion(conversion.getFromType(), conversion.getToType());
            } else if (cause instanceof NoTypeConversionAvailableException conversion) {
                return conversion(conversion.getFromType(), conversion.getToType());
            }
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
    }

    private static String conversion(Class<?> from, Class<?> to) {
        return "cannot convert " + (from == null ? "null" : from.getName()) + " to " + to.getName();
    }
}
