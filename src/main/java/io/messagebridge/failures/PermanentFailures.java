package io.messagebridge.failures;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.jayway.jsonpath.InvalidJsonException;
import com.jayway.jsonpath.PathNotFoundException;
import io.messagebridge.mapping.InvalidMessageException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.springframework.amqp.support.converter.MessageConversionException;

/**
 * Failures that retrying cannot cure: the message itself is wrong for its destination. They go to the dead-letter
 * destination at once. Everything else (a broker unreachable, a timeout, not enough in-sync replicas) is transient:
 * it is retried, and the message stays at its source meanwhile.
 */
public final class PermanentFailures {

    private static final List<Class<? extends Throwable>> CLASSES = List.of(classes());

    private PermanentFailures() {
    }

    /** Whether this failure, or one it was caused by, is a permanent one: retrying the message cannot help. */
    public static boolean isPermanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            for (Class<? extends Throwable> type : CLASSES) {
                if (type.isInstance(cause)) {
                    return true;
                }
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    public static Class<? extends Throwable>[] classes() {
        return new Class[] {
            InvalidMessageException.class,
            // mandatory RabbitMQ publish that no queue took: sending it again cannot help until someone binds one
            UnroutableMessageException.class,
            RecordTooLargeException.class,
            RecordBatchTooLargeException.class,
            InvalidRecordException.class,
            SerializationException.class,
            MessageConversionException.class,
            // YAML routes read fields with jsonpath: a body that is not JSON or lacks the path is a bad message
            InvalidJsonException.class,
            PathNotFoundException.class,
            // Jackson data formats (typed mapping, unmarshal in YAML): not JSON, or not the expected shape
            JsonProcessingException.class,
        };
    }
}
