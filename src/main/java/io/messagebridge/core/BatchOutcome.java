package io.messagebridge.core;

import java.util.Set;

/**
 * What became of each delivery of a RabbitMQ batch when they did not all fare alike: set as the exchange property
 * {@link BridgeProperties#BATCH_OUTCOME} by whoever delivered the batch, read by the step that acks. Delivery tags
 * identify the deliveries.
 */
public interface BatchOutcome {

    /** After a failure: the deliveries that reached their destination all the same. */
    Set<Long> reached();

    /** After a completion: the deliveries that neither reached their destination nor were dead-lettered. */
    Set<Long> missed();
}
