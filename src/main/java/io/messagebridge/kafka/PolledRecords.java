package io.messagebridge.kafka;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.apache.camel.support.ExpressionAdapter;

/** The records of a camel-kafka batch ({@code batching=true}), whose body is a list of one exchange per record. */
public final class PolledRecords {

    private PolledRecords() {
    }

    public static List<Message> records(Exchange batch) {
        List<?> body = batch.getMessage().getBody(List.class);
        if (body == null) {
            return List.of();
        }
        return body.stream().map(record -> ((Exchange) record).getMessage()).toList();
    }

    /** For {@code split(...)}: each record's own message (body, key and headers) becomes a split exchange. */
    public static Expression records() {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return records(exchange);
            }

            @Override
            public String toString() {
                return "kafkaBatchRecords";
            }
        };
    }
}
