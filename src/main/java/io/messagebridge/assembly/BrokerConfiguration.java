package io.messagebridge.assembly;

import java.util.Map;

import io.messagebridge.config.KafkaSecurity;
import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import io.messagebridge.errors.DeadLetterReplay;
import io.messagebridge.errors.RetryBudgetCheck;
import io.messagebridge.management.BrokerHealthCheck;
import io.messagebridge.management.BrokerReachability;
import io.messagebridge.management.DeadLetters;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The application's part of the context that the validate command and the route tests do without: validates the
 * settings a user can get wrong before anything connects, assembles the bridge ({@link BridgeAssembly}), and adds
 * what watches the brokers (reachability, health checks), the dead-letter replay, the retry-budget check and the
 * routes' Kafka login. Kafka is configured by the camel.component.kafka.* keys in application.properties.
 */
public class BrokerConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.of(context);
        RabbitMqSettings rabbitMq = RabbitMqSettings.from(settings);
        String kafkaBrokers = settings.hostPortList("kafka.brokers");
        Map<String, Object> kafkaClient = KafkaSecurity.clientProperties(settings);
        validateTunables(settings);

        CachingConnectionFactory connectionFactory = BridgeAssembly.assemble(context, settings, rabbitMq);
        BrokerReachability reachability = new BrokerReachability(rabbitMq.address(), kafkaClient,
                settings.integer("bridge.health.check-interval-ms", 100, 600_000));
        connectionFactory.addConnectionListener(reachability);
        context.addService(reachability, true, true);
        // the routes' Kafka clients log in like the others (camel-kafka applies these after its own options)
        context.getComponent("kafka", KafkaComponent.class).getConfiguration().getAdditionalProperties()
                .putAll(KafkaSecurity.securityProperties(settings));
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new BrokerHealthCheck("rabbitmq", rabbitMq.address(), reachability::isRabbitMqReachable));
            health.register(new BrokerHealthCheck("kafka", kafkaBrokers, reachability::isKafkaReachable));
        }
        context.addService(new DeadLetters(DeadLetterReplay.from(settings)), true, true);
        context.addLifecycleStrategy(new RetryBudgetCheck(settings));
    }

    /** Numbers that end up in endpoint URIs: checked here so a typo names its key, not a mangled URI. */
    private static void validateTunables(Settings settings) {
        for (String flow : new String[] {"bridge.orders", "bridge.shipments"}) {
            settings.integer(flow + ".consumers", 1, 1000);
        }
        settings.integer("bridge.orders.prefetch", 1, 65_535);
        settings.integer("bridge.shipments.max-poll-records", 1, 100_000);
        settings.integer("bridge.shipments.batch-interval-ms", 1, 60_000);
        settings.integer("bridge.shipments.max-poll-interval-ms", 1_000, Integer.MAX_VALUE);
        RabbitMqSettings.confirmTimeoutMillis(settings);
    }
}
