package io.messagebridge.mapping;

/**
 * The message itself is wrong (not JSON, a required field missing): retrying cannot help, so it is a permanent
 * failure and goes straight to the dead-letter destination. A reason that quotes the message (a field's value, the
 * token the parser stopped at) keeps the quote apart: {@link #getMessage()} gives both, for the dead letter's
 * {@code x-error-message}, which lives beside the body; {@link #reason()} gives the reason alone, for log lines.
 */
public class InvalidMessageException extends RuntimeException {

    private final String reason;

    public InvalidMessageException(String reason) {
        super(reason);
        this.reason = reason;
    }

    /** A reason and what of the message shows it, e.g. "'total' must be a number" and the value. */
    public InvalidMessageException(String reason, String quote, Throwable cause) {
        super(reason + ": " + quote, cause);
        this.reason = reason;
    }

    /** Why the message is refused, without any of its content. */
    public String reason() {
        return reason;
    }
}
