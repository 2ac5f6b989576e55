package io.messagebridge.mapping;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The notification document consumers of the notifications topic rely on: always these five fields, in this order,
 * times in ISO-8601 UTC ({@code eta} is null when the event has none).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"shipmentId", "orderId", "status", "eta", "eventTime"})
public record ShipmentNotification(String shipmentId, String orderId, String status, String eta, String eventTime) {

    /**
     * Maps an event; {@code recordTime} (the Kafka record's timestamp) is the event time when the event has none.
     * A missing id, order id or status, or a time that cannot be read, is a bad message.
     */
    public static ShipmentNotification of(ShipmentEvent event, Long recordTime) {
        Instant eventTime = event.eventTime() == null || event.eventTime().isNull()
                ? recordTime == null ? null : Instant.ofEpochMilli(recordTime)
                : instant("eventTime", event.eventTime());
        if (eventTime == null) {
            throw new InvalidMessageException("no 'eventTime' field and no record timestamp");
        }
        Instant eta = event.eta() == null || event.eta().isNull() ? null : instant("eta", event.eta());
        return new ShipmentNotification(required("shipmentId", event.shipmentId()), required("orderId", event.orderId()),
                required("status", event.status()).trim().toLowerCase(Locale.ROOT),
                eta == null ? null : eta.toString(), eventTime.toString());
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidMessageException("no '" + field + "' field");
        }
        return value;
    }

    private static Instant instant(String field, JsonNode value) {
        if (value.isIntegralNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeException e) {
            throw new InvalidMessageException("'" + field + "' must be ISO-8601 or epoch milliseconds",
                    "'" + value.asText() + "'", e);
        }
    }
}
