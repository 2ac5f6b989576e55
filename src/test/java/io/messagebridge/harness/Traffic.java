package io.messagebridge.harness;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;

/**
 * Messages with unique ids in both directions of the example pipeline, and the count of what arrived: orders
 * published to RabbitMQ and read back from Kafka, shipments produced to Kafka and read back from a RabbitMQ queue
 * bound to the notifications exchange. It survives broker restarts on the reading side by reconnecting.
 */
public final class Traffic implements AutoCloseable {

    private final KafkaBroker kafka;
    private final FlowNames names;
    private final int count;
    private final String notificationsQueue;
    private final Set<String> orders = new HashSet<>();
    private final Set<String> notifications = ConcurrentHashMap.newKeySet();
    private long orderArrivals;
    private long firstOrderNanos;
    private long lastOrderNanos;
    private final AtomicLong firstNotificationNanos = new AtomicLong();
    private final AtomicLong lastNotificationNanos = new AtomicLong();
    private final AtomicLong notificationArrivals = new AtomicLong();
    private KafkaConsumer<String, String> ordersReader;
    private boolean subscribed;
    private RabbitMq rabbit;

    public Traffic(KafkaBroker kafka, FlowNames names, int count) {
        this.kafka = kafka;
        this.names = names;
        this.count = count;
        this.notificationsQueue = "notifications-traffic-" + names.suffix();
        rabbit = new RabbitMq();
        rabbit.declareBoundQueue(notificationsQueue, names.notificationsExchange(), "shipment.#");
    }

    public static String order(String id) {
        return "{\"orderId\":\"" + id + "\",\"region\":\"eu\",\"total\":125.5,\"lines\":[{\"sku\":\"A-1\",\"qty\":2}]}";
    }

    public static String shipment(String id) {
        return "{\"shipmentId\":\"s-" + id + "\",\"orderId\":\"" + id + "\",\"status\":\"shipped\"}";
    }

    /** Puts every message into its source (confirmed by RabbitMQ, acked by Kafka) before returning. */
    public void fill() {
        fill(0, count);
    }

    /** Messages {@code from} (inclusive) to {@code to} (exclusive) of the stream. */
    public void fill(int from, int to) {
        for (int i = from; i < to; i++) {
            rabbit.publish(names.ordersExchange(), "order.created", RabbitMq.persistentJson("m-" + i, null, Map.of()),
                    order("o-" + i).getBytes(StandardCharsets.UTF_8));
        }
        rabbit.awaitConfirms();
        try (CheckedProducer<String, String> producer = KafkaRecords.producer(kafka)) {
            for (int i = from; i < to; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(names.shipmentsTopic(), "o-" + i,
                        shipment("o-" + i));
                record.headers().add("message-id", ("e-" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }
    }

    /** Reads what has arrived so far in both directions. */
    public void collect() {
        if (ordersReader == null) {
            ordersReader = KafkaRecords.consumer(kafka, names.ordersTopic());
        }
        for (ConsumerRecord<String, String> record : ordersReader.poll(Duration.ofMillis(100))) {
            orders.add(record.key());
            orderArrivals++;
            lastOrderNanos = System.nanoTime();
            if (firstOrderNanos == 0) {
                firstOrderNanos = lastOrderNanos;
            }
        }
        if (rabbit != null && !rabbit.isOpen()) {
            // RabbitMQ restarted under us: subscribe again on a new connection
            rabbit.closeQuietly();
            rabbit = null;
            subscribed = false;
        }
        if (rabbit == null) {
            rabbit = reconnect();
        }
        if (rabbit != null && !subscribed) {
            rabbit.subscribe(notificationsQueue, delivery -> {
                notifications.add(delivery.getProperties().getCorrelationId());
                notificationArrivals.incrementAndGet();
                long now = System.nanoTime();
                lastNotificationNanos.set(now);
                firstNotificationNanos.compareAndSet(0, now);
            });
            subscribed = true;
        }
    }

    private static RabbitMq reconnect() {
        try {
            return new RabbitMq();
        } catch (IllegalStateException stillDown) {
            return null;
        }
    }

    public void awaitProgress(int atLeastEachWay, Duration timeout) {
        Awaitility.await(atLeastEachWay + " messages each way").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    collect();
                    return orders.size() >= atLeastEachWay && notifications.size() >= atLeastEachWay;
                });
    }

    public void awaitAll(Duration timeout) {
        awaitProgress(count, timeout);
        // anything still on its way: duplicates show up here
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            collect();
        }
    }


    public int ordersDelivered() {
        return orders.size();
    }

    public int notificationsDelivered() {
        return notifications.size();
    }

    public long orderDuplicates() {
        return orderArrivals - orders.size();
    }

    public long notificationDuplicates() {
        return notificationArrivals.get() - notifications.size();
    }

    /** Counts, and the rate between the first and the last arrival (faults and filling included, so not a benchmark). */
    public String report() {
        return String.format("orders %d/%d delivered, %d duplicates, %.0f msg/s; notifications %d/%d delivered, "
                        + "%d duplicates, %.0f msg/s", orders.size(), count, orderDuplicates(),
                rate(orderArrivals, firstOrderNanos, lastOrderNanos), notifications.size(), count,
                notificationDuplicates(), rate(notificationArrivals.get(), firstNotificationNanos.get(),
                        lastNotificationNanos.get()));
    }

    private static double rate(long arrivals, long first, long last) {
        return last > first ? arrivals / ((last - first) / 1e9) : 0;
    }

    public long ordersDeadLettered() {
        return rabbit == null ? -1 : rabbit.messageCount(names.ordersQueue() + ".dlq");
    }

    @Override
    public void close() {
        if (ordersReader != null) {
            ordersReader.close();
        }
        if (rabbit != null) {
            rabbit.closeQuietly();
        }
        try (RabbitMq cleanup = new RabbitMq()) {
            cleanup.forget(notificationsQueue, names.notificationsExchange());
            cleanup.forgetPipeline(names);
        }
    }
}
