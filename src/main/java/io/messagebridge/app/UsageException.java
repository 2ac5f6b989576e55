package io.messagebridge.app;

/** A command used the wrong way: its message says what is wrong, and the command's usage follows it. */
final class UsageException extends IllegalArgumentException {

    UsageException(String problem) {
        super(problem);
    }
}
