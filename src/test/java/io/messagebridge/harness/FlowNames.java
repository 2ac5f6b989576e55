package io.messagebridge.harness;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Exchange, queue, topic and group names of the example pipeline, unique to one test, and the environment that
 * points the application at them (which also exercises the environment-variable overrides).
 */
public record FlowNames(String suffix) {

    public static FlowNames unique() {
        return new FlowNames(UUID.randomUUID().toString().substring(0, 8));
    }

    public String ordersExchange() {
        return "orders-" + suffix;
    }

    public String ordersQueue() {
        return "orders.to-kafka-" + suffix;
    }

    public String ordersTopic() {
        return "orders-" + suffix;
    }

    public String auditQueue() {
        return "orders.audit-" + suffix;
    }

    public String auditTopic() {
        return "orders.audit-" + suffix;
    }

    public String shipmentsTopic() {
        return "shipments-" + suffix;
    }

    public String shipmentsGroup() {
        return "bridge.shipments-" + suffix;
    }

    public String notificationsExchange() {
        return "notifications-" + suffix;
    }

    public String dedupTopic() {
        return "dedup-" + suffix;
    }

    /** The source of the example split, filter and content-based routing routes (kept apart from the pipeline's). */
    public String orderEventsTopic() {
        return "order-events-" + suffix;
    }

    public String orderLinesTopic() {
        return "order-lines-" + suffix;
    }

    public String alertsExchange() {
        return "alerts-" + suffix;
    }

    public String cancelledOrdersTopic() {
        return "orders.cancelled-" + suffix;
    }

    public String priorityOrdersTopic() {
        return "orders.priority-" + suffix;
    }

    public String otherOrdersTopic() {
        return "orders.other-" + suffix;
    }

    public String orderLinesGroup() {
        return "bridge.order_lines-" + suffix;
    }

    public String orderAlertsGroup() {
        return "bridge.order_alerts-" + suffix;
    }

    public String orderRoutingGroup() {
        return "bridge.order_routing-" + suffix;
    }

    /**
     * The queue of the example fan-out route (order-cancellations.yaml), bound to {@link #ordersExchange()}; its
     * RabbitMQ output goes to {@link #notificationsExchange()}, as in production.
     */
    public String orderCancellationsQueue() {
        return "orders.cancellations-" + suffix;
    }

    public String orderCancellationsTopic() {
        return "order-cancellations-" + suffix;
    }

    /** The source of the example transform route. */
    public String shipmentEventsTopic() {
        return "shipment-events-" + suffix;
    }

    public String notificationsTopic() {
        return "notifications-" + suffix;
    }

    public String notificationsGroup() {
        return "bridge.notifications-" + suffix;
    }

    public String deadLetterExchange() {
        return "dead-letters-" + suffix;
    }

    /** Every topic the application reads or writes with {@link #environment}, dead-letter and deduplication topics included. */
    public List<String> topics() {
        return List.of(ordersTopic(), auditTopic(), shipmentsTopic(), shipmentsTopic() + ".DLT", dedupTopic(),
                orderEventsTopic(), orderEventsTopic() + ".DLT", orderLinesTopic(), cancelledOrdersTopic(),
                priorityOrdersTopic(), otherOrdersTopic(), orderCancellationsTopic(), shipmentEventsTopic(),
                shipmentEventsTopic() + ".DLT", notificationsTopic());
    }

    /**
     * Creates the pipeline's topics on the broker, as an operator may before the application starts (it then finds
     * them), and returns the environment for the application.
     */
    public Map<String, String> provision(KafkaBroker kafka) {
        kafka.createTopics(topics().toArray(String[]::new));
        return environment(kafka);
    }

    /** The environment that points the application at these names and this broker (whose topics it creates). */
    public Map<String, String> environment(KafkaBroker kafka) {
        return environment(kafka.bootstrapServers());
    }

    /** The environment for an application that uses these names on the Kafka at {@code kafkaBrokers}. */
    public Map<String, String> environment(String kafkaBrokers) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BROKERS", kafkaBrokers);
        env.put("RABBITMQ_HOST", "127.0.0.1");
        env.put("RABBITMQ_PORT", "5672");
        env.put("BRIDGE_ORDERS_EXCHANGE", ordersExchange());
        env.put("BRIDGE_ORDERS_QUEUE", ordersQueue());
        env.put("BRIDGE_ORDERS_TOPIC", ordersTopic());
        env.put("BRIDGE_AUDIT_QUEUE", auditQueue());
        env.put("BRIDGE_AUDIT_TOPIC", auditTopic());
        env.put("BRIDGE_SHIPMENTS_TOPIC", shipmentsTopic());
        env.put("BRIDGE_SHIPMENTS_GROUP", shipmentsGroup());
        env.put("BRIDGE_SHIPMENTS_EXCHANGE", notificationsExchange());
        env.put("BRIDGE_DEAD_LETTER_EXCHANGE", deadLetterExchange());
        env.put("BRIDGE_DEDUP_KAFKA_TOPIC", dedupTopic());
        // the example pattern routes read topics of their own, so the pipeline's tests do not feed them
        env.put("BRIDGE_ORDER_LINES_SOURCE_TOPIC", orderEventsTopic());
        env.put("BRIDGE_ORDER_LINES_TOPIC", orderLinesTopic());
        env.put("BRIDGE_ORDER_ALERTS_SOURCE_TOPIC", orderEventsTopic());
        env.put("BRIDGE_ORDER_ALERTS_EXCHANGE", alertsExchange());
        env.put("BRIDGE_ORDER_ROUTING_SOURCE_TOPIC", orderEventsTopic());
        env.put("BRIDGE_ORDER_ROUTING_CANCELLED_TOPIC", cancelledOrdersTopic());
        env.put("BRIDGE_ORDER_ROUTING_PRIORITY_TOPIC", priorityOrdersTopic());
        env.put("BRIDGE_ORDER_ROUTING_OTHER_TOPIC", otherOrdersTopic());
        // its queue is bound to this test's orders exchange, so a queue of its own, or applications would share it
        env.put("BRIDGE_ORDER_CANCELLATIONS_QUEUE", orderCancellationsQueue());
        env.put("BRIDGE_ORDER_CANCELLATIONS_TOPIC", orderCancellationsTopic());
        env.put("BRIDGE_ORDER_CANCELLATIONS_EXCHANGE", notificationsExchange());
        env.put("BRIDGE_NOTIFICATIONS_SOURCE_TOPIC", shipmentEventsTopic());
        env.put("BRIDGE_NOTIFICATIONS_TOPIC", notificationsTopic());
        // a group shared with an earlier test's application waits for its members to time out before rebalancing
        env.put("BRIDGE_ORDER_LINES_GROUP", orderLinesGroup());
        env.put("BRIDGE_ORDER_ALERTS_GROUP", orderAlertsGroup());
        env.put("BRIDGE_ORDER_ROUTING_GROUP", orderRoutingGroup());
        env.put("BRIDGE_NOTIFICATIONS_GROUP", notificationsGroup());
        // several applications may run at once in a test
        env.put("BRIDGE_MANAGEMENT_PORT", Integer.toString(KafkaBroker.freePort()));
        return env;
    }
}
