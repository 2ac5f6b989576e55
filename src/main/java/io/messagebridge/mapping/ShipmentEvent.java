package io.messagebridge.mapping;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A shipment event as producers write it to the shipments topic. Times may be ISO-8601 (with an offset or Z) or
 * milliseconds since the epoch; fields this bridge does not use are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShipmentEvent(String shipmentId, String orderId, String status, JsonNode eta, JsonNode eventTime) {
}
