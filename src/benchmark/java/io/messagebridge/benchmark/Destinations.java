package io.messagebridge.benchmark;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.rabbitmq.client.Delivery;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Watching a destination while a bridge drains into it: each message that arrives is handed over as it arrives, on a
 * thread of the watcher's, until the returned handle is closed. Open the watch before the bridge starts: a RabbitMQ
 * queue gets only what is published after it is bound.
 */
final class Destinations {

    private Destinations() {
    }

    /** Every record of the topic, from its beginning. */
    static AutoCloseable topic(KafkaBroker kafka, String topic, String threadName,
            Consumer<ConsumerRecord<String, String>> arrived) {
        KafkaConsumer<String, String> consumer = KafkaRecords.consumer(kafka, topic);
        AtomicBoolean open = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (open.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    arrived.accept(record);
                }
            }
            consumer.close();
        }, threadName);
        reader.start();
        return () -> {
            open.set(false);
            reader.join();
        };
    }

    /**
     * A queue of its own, bound to the exchange; closing deletes both (their names are the measurement's own). It is
     * read without acknowledgements: an ack per delivery cost RabbitMQ and the watcher a third of what the route's
     * messages cost there, on the two cores the measured application shares with them.
     */
    static AutoCloseable queue(String exchange, String bindingKey, String queue, Consumer<Delivery> arrived) {
        RabbitMq rabbit = new RabbitMq();
        rabbit.declareBoundQueue(queue, exchange, bindingKey);
        rabbit.subscribeWithoutAcks(queue, arrived);
        return rabbit;
    }
}
