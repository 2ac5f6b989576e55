package io.messagebridge.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;

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
            // a message that never reached the source would be counted as lost by the bridge: every write is checked
            CheckedProducer<String, byte[]> producer = KafkaRecords.bytesProducer(kafka);
            return new Source() {
                @Override
                public void send(int id) {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(names.shipmentsTopic(),
                            Integer.toString(id), Payloads.shipment(id, size));
                    record.headers().add("message-id", ("e-" + id).getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }

                @Override
                public void flush() {
                    producer.flush();
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
