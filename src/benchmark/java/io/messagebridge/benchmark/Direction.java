package io.messagebridge.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;

import io.messagebridge.harness.CheckedProducer;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
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
            return Source.rabbitMq((rabbit, id) -> rabbit.publish(names.ordersExchange(), "order.created",
                    RabbitMq.persistentJson("m-" + id, null, Map.of()), Payloads.order(id, size)));
        }

        @Override
        AutoCloseable destination(KafkaBroker kafka, FlowNames names, Arrivals arrivals) {
            return Destinations.topic(kafka, names.ordersTopic(), "destination-" + names.suffix(),
                    record -> arrivals.arrived(record.key()));
        }
    },

    KAFKA_TO_RABBITMQ("kafka-to-rabbitmq", "Kafka → RabbitMQ", "orders-to-kafka,shipment-notifications*") {
        @Override
        Source source(KafkaBroker kafka, FlowNames names, int size) {
            return Source.kafka(kafka, id -> Source.withMessageId(new ProducerRecord<>(names.shipmentsTopic(),
                    Integer.toString(id), Payloads.shipment(id, size)), "e-" + id));
        }

        @Override
        AutoCloseable destination(KafkaBroker kafka, FlowNames names, Arrivals arrivals) {
            return Destinations.queue(names.notificationsExchange(), "shipment.#", "benchmark-" + names.suffix(),
                    delivery -> arrivals.arrived(delivery.getProperties().getCorrelationId()));
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

    /** Puts message {@code id} into a source; {@link #kafka} and {@link #rabbitMq} make one from how to send it. */
    interface Source extends AutoCloseable {
        void send(int id);

        /** Returns once the source broker has everything sent so far (confirms, acks). */
        void flush();

        @Override
        void close();

        static Source kafka(KafkaBroker kafka, IntFunction<ProducerRecord<String, byte[]>> record) {
            // a message that never reached the source would be counted as lost by the bridge: every write is checked
            CheckedProducer<String, byte[]> producer = KafkaRecords.bytesProducer(kafka);
            return new Source() {
                @Override
                public void send(int id) {
                    producer.send(record.apply(id));
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

        /** The id the bridge carries over, and from which it makes its outputs' ids. */
        static ProducerRecord<String, byte[]> withMessageId(ProducerRecord<String, byte[]> record, String id) {
            record.headers().add("message-id", id.getBytes(StandardCharsets.UTF_8));
            return record;
        }

        /** {@code publish} publishes message {@code id}; {@link #flush} waits for the confirms. */
        static Source rabbitMq(ObjIntConsumer<RabbitMq> publish) {
            RabbitMq rabbit = new RabbitMq();
            return new Source() {
                @Override
                public void send(int id) {
                    publish.accept(rabbit, id);
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
    }
}
