package io.messagebridge.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A direction of the bridge as the benchmark drives it: how to put message {@code id} into the source, and how to see
 * it arrive at the destination. The id is the order id, so it becomes the Kafka record key one way and the AMQP
 * correlation-id the other way: both bridges put it there, so it identifies a message without parsing the body.
 */
enum Direction {

    RABBITMQ_TO_KAFKA("rabbitmq-to-kafka", "RabbitMQ → Kafka", "shipment*") {
        @Override
        Source source(KafkaBroker kafka, FlowNames names, int size) {
            RabbitMq rabbit = new RabbitMq();
            return new Source() {
                @Override
                public void send(int id) {
                    rabbit.publish(names.ordersExchange(), "order.created",
                            RabbitMq.persistentJson("m-" + id, null, Map.of()), Payloads.order(id, size));
                }

                @Override
                public void flush() {
                    rabbit.awaitConfirms();
                }

                @Override
                public void close() {
                    rabbit.close();
                }
            };
        }

        @Override
        AutoCloseable destination(KafkaBroker kafka, FlowNames names, Arrivals arrivals) {
            KafkaConsumer<String, String> consumer = KafkaRecords.consumer(kafka, names.ordersTopic());
            AtomicBoolean open = new AtomicBoolean(true);
            Thread reader = new Thread(() -> {
                while (open.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                        arrivals.arrived(record.key());
                    }
                }
                consumer.close();
            }, "destination-" + names.suffix());
            reader.start();
            return () -> {
                open.set(false);
                reader.join();
            };
        }
    },

    KAFKA_TO_RABBITMQ("kafka-to-rabbitmq", "Kafka → RabbitMQ", "orders-to-kafka,shipment-notifications*") {
        @Override
        Source source(KafkaBroker kafka, FlowNames names, int size) {
            // In order without the idempotent producer's sequence numbers: on a busy machine a partition's first
            // write could fail as not-yet-leader, and the idempotent producer then lost records to
            // OutOfOrderSequenceException (seen here: 15 of 150,000 expired after 120 s).
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                    ProducerConfig.LINGER_MS_CONFIG, 5),
                    new StringSerializer(), new ByteArraySerializer());
            AtomicReference<Exception> failed = new AtomicReference<>();
            return new Source() {
                @Override
                public void send(int id) {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(names.shipmentsTopic(),
                            Integer.toString(id), Payloads.shipment(id, size));
                    record.headers().add("message-id", ("e-" + id).getBytes(StandardCharsets.UTF_8));
                    producer.send(record, (metadata, failure) -> {
                        if (failure != null) {
                            failed.compareAndSet(null, failure);
                        }
                    });
                }

                @Override
                public void flush() {
                    producer.flush();
                    // a message that never reached the source would be counted as lost by the bridge
                    if (failed.get() != null) {
                        throw new IllegalStateException("filling the source failed", failed.get());
                    }
                }

                @Override
                public void close() {
                    producer.close();
                }
            };
        }

        @Override
        AutoCloseable destination(KafkaBroker kafka, FlowNames names, Arrivals arrivals) {
            RabbitMq rabbit = new RabbitMq();
            String queue = "benchmark-" + names.suffix();
            rabbit.declareBoundQueue(queue, names.notificationsExchange(), "shipment.#");
            rabbit.subscribe(queue, delivery -> arrivals.arrived(delivery.getProperties().getCorrelationId()));
            return rabbit;
        }
    };

    final String id;
    final String label;
    /** The application's other flows (route id patterns), which it does not run unless --app-flows=all. */
    final String otherFlows;

    Direction(String id, String label, String otherFlows) {
        this.id = id;
        this.label = label;
        this.otherFlows = otherFlows;
    }

    abstract Source source(KafkaBroker kafka, FlowNames names, int size);

    /** Starts counting what arrives at the destination; closing it stops and cleans up. */
    abstract AutoCloseable destination(KafkaBroker kafka, FlowNames names, Arrivals arrivals);

    interface Source extends AutoCloseable {
        void send(int id);

        /** Returns once the source broker has everything sent so far (confirms, acks). */
        void flush();

        @Override
        void close();
    }
}
