package io.messagebridge.replay;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record of the range its destination did not take, and why: said in one line, without its body. */
public record Undelivered(int partition, long offset, String key, String reason) {

    static Undelivered of(ConsumerRecord<String, byte[]> record, String reason) {
        return new Undelivered(record.partition(), record.offset(), record.key(), reason);
    }

    public String line() {
        return "not delivered: partition " + partition + " offset " + offset + " key " + key + ": " + reason;
    }
}
