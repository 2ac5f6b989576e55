package io.messagebridge.mapping;

/**
 * The message itself is wrong (not JSON, a required field missing): retrying cannot help, so it is a permanent
 * failure and goes straight to the dead-letter destination.
 */
public class InvalidMessageException extends RuntimeException {

    public InvalidMessageException(String reason) {
        super(reason);
    }

    public InvalidMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
