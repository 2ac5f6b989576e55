package io.messagebridge.core;

/**
 * The innermost cause of a failure, for one-line messages to a user or an operator: what went wrong at the bottom
 * (a refused connection, a missing file) rather than the wrappers around it. Safe on a cause chain that loops.
 */
public final class RootCause {

    private RootCause() {
    }

    public static Throwable of(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The root cause's message, or its class name when it has none. */
    public static String message(Throwable failure) {
        Throwable root = of(failure);
        return root.getMessage() != null ? root.getMessage() : root.getClass().getName();
    }
}
