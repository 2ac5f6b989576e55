package io.messagebridge.management;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.messagebridge.core.ContextAwareService;
import io.messagebridge.core.RootCause;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * Tells the operator, in one line per change, when a broker becomes unreachable (which broker, which address, how
 * to start one) and when it is back. The clients themselves keep retrying with back-off; their own per-attempt
 * warnings are turned down in log4j2.xml so that this line is not buried.
 */
public final class BrokerReachability extends ContextAwareService implements ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerReachability.class);

    private final String rabbitMqAddress;
    private final String kafkaBrokers;
    private final Map<String, Object> kafkaClient;
    private final long checkIntervalMillis;
    private volatile Boolean rabbitMqReachable;
    private volatile Boolean kafkaReachable;
    private ScheduledExecutorService scheduler;
    private Admin admin;

    public BrokerReachability(String rabbitMqAddress, Map<String, Object> kafkaClient, long checkIntervalMillis) {
        this.rabbitMqAddress = rabbitMqAddress;
        this.kafkaClient = kafkaClient;
        this.kafkaBrokers = (String) kafkaClient.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        this.checkIntervalMillis = checkIntervalMillis;
    }

    public boolean isRabbitMqReachable() {
        return Boolean.TRUE.equals(rabbitMqReachable);
    }

    public boolean isKafkaReachable() {
        return Boolean.TRUE.equals(kafkaReachable);
    }

    @Override
    public void onCreate(Connection connection) {
        if (!Boolean.TRUE.equals(rabbitMqReachable)) {
            LOG.info("RabbitMQ reachable at {}", rabbitMqAddress);
        }
        rabbitMqReachable = true;
    }

    @Override
    public void onClose(Connection connection) {
        // a connection closed by the broker (shutdown, restart) fails the next attempt, which reports it
        rabbitMqReachable = null;
    }

    @Override
    public void onFailed(Exception exception) {
        if (!Boolean.FALSE.equals(rabbitMqReachable)) {
            LOG.warn("RabbitMQ unreachable at {} ({}): start it (rabbitmq-server -detached, or docker compose up -d "
                    + "rabbitmq) or point RABBITMQ_HOST/RABBITMQ_PORT at one; retrying with back-off",
                    rabbitMqAddress, reason(exception));
        }
        rabbitMqReachable = false;
    }

    private void checkKafka() {
        try {
            admin.describeCluster().nodes().get(checkIntervalMillis, TimeUnit.MILLISECONDS);
            if (!Boolean.TRUE.equals(kafkaReachable)) {
                LOG.info("Kafka reachable at {}", kafkaBrokers);
            }
            kafkaReachable = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!Boolean.FALSE.equals(kafkaReachable)) {
                LOG.warn("Kafka unreachable at {} ({}): start a broker (on your own machine the dev command starts one; "
                        + "docs/operations.md, 'Kafka on your machine') or point KAFKA_BROKERS at one; retrying with "
                        + "back-off", kafkaBrokers, reason(e));
            }
            kafkaReachable = false;
        }
    }

    private static String reason(Throwable e) {
        Throwable root = RootCause.of(e);
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    @Override
    protected void doStart() {
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.putAll(Map.of(
                AdminClientConfig.CLIENT_ID_CONFIG, "rabbitmq-kafka-bridge-reachability",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(checkIntervalMillis, 30_000),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(checkIntervalMillis, 30_000)));
        admin = Admin.create(config);
        scheduler = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "BrokerReachability");
        scheduler.scheduleWithFixedDelay(this::checkKafka, 0, checkIntervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
        }
        if (admin != null) {
            admin.close();
        }
    }
}
