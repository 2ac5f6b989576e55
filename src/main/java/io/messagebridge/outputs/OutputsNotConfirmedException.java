package io.messagebridge.outputs;

/** An output of a batch was neither confirmed nor refused for good: the batch is sent again or returns to its source. */
public class OutputsNotConfirmedException extends Exception {

    public OutputsNotConfirmedException(String message, Throwable cause) {
        super(message, cause);
    }
}
