package io.messagebridge.replay;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a replay sends its records. {@link #send} sends a batch in the order given and returns only once the
 * destination has every record of it (publisher confirms, Kafka acks=all), except those it gives back as
 * undelivered; it throws if it cannot tell, and then the batch counts as not sent.
 */
interface Destination extends AutoCloseable {

    List<Undelivered> send(List<ConsumerRecord<String, byte[]>> records) throws Exception;

    @Override
    void close();
}
