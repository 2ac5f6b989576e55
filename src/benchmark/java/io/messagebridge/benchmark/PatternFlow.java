package io.messagebridge.benchmark;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.KafkaRecords;
import io.messagebridge.harness.RabbitMq;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An example pattern route (routes/order-*.yaml, route ids {@code <id>-source} and {@code <id>}) as the benchmark
 * drives it: what feeds it ({@link Feed}), where its outputs go and how many each order should make there
 * ({@link Output}). The inputs are {@link Payloads#patternOrder} orders, whose region, status and total follow from
 * the id, so what a route should make of them is known without keeping what was sent. The application runs this
 * route alone, with the project's route files.
 */
enum PatternFlow {

    ORDER_LINES("order-lines", "split", new KafkaFeed(FlowNames::orderLinesGroup)) {
        @Override
        List<Output> outputs(FlowNames names, Properties settings) {
            return List.of(Output.topic(names.orderLinesTopic(), order -> Payloads.ORDER_LINES));
        }
    },

    ORDER_ALERTS("order-alerts", "filter", new KafkaFeed(FlowNames::orderAlertsGroup)) {
        @Override
        List<Output> outputs(FlowNames names, Properties settings) {
            double threshold = Double.parseDouble(settings.getProperty("bridge.order-alerts.threshold"));
            return List.of(Output.queue(names.alertsExchange(), "order.high-value.#",
                    order -> Payloads.total(order) >= threshold ? 1 : 0));
        }
    },

    ORDER_ROUTING("order-routing", "content-based routing", new KafkaFeed(FlowNames::orderRoutingGroup)) {
        @Override
        List<Output> outputs(FlowNames names, Properties settings) {
            String priority = settings.getProperty("bridge.order-routing.priority-region");
            IntUnaryOperator cancelled = order -> Payloads.cancelled(order) ? 1 : 0;
            IntUnaryOperator prioritised = order -> Payloads.region(order).equals(priority) ? 1 : 0;
            return List.of(
                    Output.topic(names.cancelledOrdersTopic(), cancelled),
                    Output.topic(names.priorityOrdersTopic(),
                            order -> (1 - cancelled.applyAsInt(order)) * prioritised.applyAsInt(order)),
                    Output.topic(names.otherOrdersTopic(),
                            order -> (1 - cancelled.applyAsInt(order)) * (1 - prioritised.applyAsInt(order))));
        }
    },

    ORDER_CANCELLATIONS("order-cancellations", "fan-out, fed by RabbitMQ", new RabbitMqFeed()) {
        @Override
        List<Output> outputs(FlowNames names, Properties settings) {
            // the Kafka output first: a RabbitMQ-fed route's input rate is taken from its arrivals
            return List.of(Output.topic(names.orderCancellationsTopic(), order -> 1),
                    Output.queue(names.notificationsExchange(), "order.cancelled.#", order -> 1));
        }
    };

    final String id;
    final String pattern;
    final Feed feed;

    PatternFlow(String id, String pattern, Feed feed) {
        this.id = id;
        this.pattern = pattern;
        this.feed = feed;
    }

    static PatternFlow of(String id) {
        return Arrays.stream(values()).filter(flow -> flow.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pattern route " + id + "; known: "
                        + Arrays.stream(values()).map(flow -> flow.id).toList()));
    }

    /**
     * The destinations the route writes to, the first one first, and what each order should make there; the
     * application's {@code settings} give the thresholds it decides by.
     */
    abstract List<Output> outputs(FlowNames names, Properties settings);

    /** Starts the application with this route only: the others would read the same source, or poll while idle. */
    Contender.Running start(FlowNames names, Map<String, String> env) {
        String otherFlows = Stream.concat(Stream.of("orders-to-kafka", "orders-audit", "shipment*"),
                Arrays.stream(values()).filter(flow -> flow != this).flatMap(flow -> Stream.of(flow.id + "-source",
                        flow.id))).collect(Collectors.joining(","));
        return Contender.application(otherFlows, true, names, env, 0);
    }

    /** How a route's inputs reach it, and how to tell how fast it took them. */
    interface Feed {
        Direction.Source source(KafkaBroker kafka, FlowNames names, int size);

        /** Whether the source exists only once the application has declared it (a queue), so before the fill. */
        boolean declaredByApplication();

        Inputs inputs(KafkaBroker kafka, FlowNames names, PatternOutputs outputs, int total, int warmup);
    }

    /** The inputs of one drain: when they are through, how fast they went, how many became dead letters. */
    interface Inputs extends AutoCloseable {
        /** Returns once every input is through, or none went through for {@code stall}. */
        void awaitEnd(Duration stall);

        double ratePerSecond();

        long deadLetters();

        @Override
        void close();
    }

    /**
     * Orders produced to the source topic of the Kafka-fed routes (the same for the three; each reads it in a group
     * of its own), keyed by order id, with the order id as message-id; counted by the group's commits.
     */
    record KafkaFeed(Function<FlowNames, String> group) implements Feed {
        @Override
        public Direction.Source source(KafkaBroker kafka, FlowNames names, int size) {
            return Direction.Source.kafka(kafka, order -> Direction.Source.withMessageId(new ProducerRecord<>(
                    names.orderEventsTopic(), Payloads.orderId(order), Payloads.patternOrder(order, size)),
                    Payloads.orderId(order)));
        }

        @Override
        public boolean declaredByApplication() {
            return false;
        }

        @Override
        public Inputs inputs(KafkaBroker kafka, FlowNames names, PatternOutputs outputs, int total, int warmup) {
            return new CommittedInputs(kafka, group.apply(names), names.orderEventsTopic(), total, warmup);
        }
    }

    /**
     * Orders published to the orders exchange as cancellations ({@code order.cancelled.<region>}, the route's
     * binding), with the order id as message-id. RabbitMQ counts no progress as committed offsets do (a queue's
     * message count leaves out the deliveries not yet acked), so the input rate is taken from the arrivals at the
     * first destination, which gets one output per input, as the orders-to-kafka bridge's is.
     */
    record RabbitMqFeed() implements Feed {
        @Override
        public Direction.Source source(KafkaBroker kafka, FlowNames names, int size) {
            return Direction.Source.rabbitMq((rabbit, order) -> rabbit.publish(names.ordersExchange(),
                    "order.cancelled." + Payloads.region(order),
                    RabbitMq.persistentJson(Payloads.orderId(order), null, Map.of()),
                    Payloads.patternOrder(order, size)));
        }

        @Override
        public boolean declaredByApplication() {
            return true;
        }

        @Override
        public Inputs inputs(KafkaBroker kafka, FlowNames names, PatternOutputs outputs, int total, int warmup) {
            RabbitMq rabbit = new RabbitMq();
            return new Inputs() {
                @Override
                public void awaitEnd(Duration stall) {
                    // the outputs tell: awaited next
                }

                @Override
                public double ratePerSecond() {
                    return outputs.firstDestinationRate();
                }

                @Override
                public long deadLetters() {
                    return rabbit.messageCount(names.orderCancellationsQueue() + ".dlq");
                }

                @Override
                public void close() {
                    rabbit.close();
                }
            };
        }
    }

    /** A destination the route writes to, how many outputs each order (by id) should make there, how to watch it. */
    record Output(String name, IntUnaryOperator count, Watch watch) {

        /** Outputs identified by their message-id header. */
        static Output topic(String topic, IntUnaryOperator count) {
            return new Output(topic, count, (kafka, arrived) -> Destinations.topic(kafka, topic, "outputs-" + topic,
                    record -> arrived.accept(KafkaRecords.header(record, "message-id"))));
        }

        /**
         * Outputs identified by their AMQP message-id, in a queue of the benchmark's bound to the exchange. The route
         * publishes mandatory: with no queue bound, its outputs would be dead letters.
         */
        static Output queue(String exchange, String bindingKey, IntUnaryOperator count) {
            return new Output(exchange, count, (kafka, arrived) -> Destinations.queue(exchange, bindingKey,
                    "benchmark-" + exchange, delivery -> arrived.accept(delivery.getProperties().getMessageId())));
        }
    }

    interface Watch {
        /** Hands each output's message-id to {@code arrived} as it arrives, until closed. */
        AutoCloseable open(KafkaBroker kafka, Consumer<String> arrived);
    }
}
