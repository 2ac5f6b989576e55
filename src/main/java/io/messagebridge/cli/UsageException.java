package io.messagebridge.cli;

/** A command used the wrong way: its message says what is wrong, and the command's usage follows it. */
public final class UsageException extends IllegalArgumentException {

    public UsageException(String problem) {
        super(problem);
    }
}
