package io.messagebridge.assembly;

import io.messagebridge.config.KafkaSecurity;
import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import java.util.Locale;
import java.util.Map;

import io.messagebridge.tokafka.AmqpToKafkaHeaders;
import io.messagebridge.rabbitmq.PassThroughMessageConverter;
import io.messagebridge.rabbitmq.RabbitAcknowledgement;
import io.messagebridge.rabbitmq.BatchingRabbitContainerFactory;
import io.messagebridge.errors.DeadLetterReplay;
import io.messagebridge.errors.PerRouteRedelivery;
import io.messagebridge.errors.RetryBudgetCheck;
import io.messagebridge.management.BrokerHealthCheck;
import io.messagebridge.management.BrokerReachability;
import io.messagebridge.management.DeadLetters;
import io.messagebridge.outputs.ConfirmChannels;
import io.messagebridge.outputs.ConfirmedRabbitComponent;
import io.messagebridge.outputs.PipelinedKafkaComponent;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.TypeConverterSupport;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.model.Model;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Validates the settings a user can get wrong before anything connects, and binds the broker clients the routes
 * use: {@code rabbitConnectionFactory} (the spring-rabbitmq component's, with publisher confirms), its
 * {@code passThroughMessageConverter}, the {@value BatchingRabbitContainerFactory#SCHEME} component on the same connections, {@code rabbitAcknowledgement} and {@code amqpToKafkaHeaders} for YAML
 * routes, and the RabbitMQ settings. Kafka is configured by the camel.component.kafka.* keys in application.properties.
 */
public class BrokerConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.of(context);
        RabbitMqSettings rabbitMq = RabbitMqSettings.from(settings);
        String kafkaBrokers = settings.hostPortList("kafka.brokers");
        Map<String, Object> kafkaClient = KafkaSecurity.clientProperties(settings);
        validateTunables(settings);

        CachingConnectionFactory connectionFactory = bindRouteBeans(context, settings, rabbitMq);
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
        context.getCamelContextExtension().getContextPlugin(Model.class)
                .addModelLifecycleStrategy(new PerRouteRedelivery(context));
        context.addLifecycleStrategy(new RetryBudgetCheck(settings));
    }

    /**
     * The beans routes refer to, none of which connects before it is used: also bound by the validate command and
     * the route unit-test helper, which must never reach a broker.
     */
    public static CachingConnectionFactory bindRouteBeans(CamelContext context, Settings settings,
            RabbitMqSettings rabbitMq) {
        CachingConnectionFactory connectionFactory = new CachingConnectionFactory(rabbitMq.clientConnectionFactory());
        connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connectionFactory.setConnectionNameStrategy(factory -> "rabbitmq-kafka-bridge");
        context.getRegistry().bind("rabbitMqSettings", rabbitMq);
        context.getRegistry().bind("rabbitConnectionFactory", connectionFactory);
        // every RabbitMQ write is mandatory and confirmed, and a route's sends join its batch (io.messagebridge.outputs)
        ConfirmChannels channels = new ConfirmChannels(rabbitMq.clientConnectionFactory());
        context.getRegistry().bind(ConfirmChannels.BEAN, channels);
        addService(context, channels);
        context.addComponent(PipelinedKafkaComponent.SCHEME, new PipelinedKafkaComponent());
        context.addComponent(ConfirmedRabbitComponent.SCHEME, new ConfirmedRabbitComponent(channels));
        // a text delivery mode (YAML: CamelSpringRabbitmqDeliveryMode: PERSISTENT) would otherwise take Camel's
        // slowest converter path, an enum lookup by reflection, on every message
        context.getTypeConverterRegistry().addTypeConverter(MessageDeliveryMode.class, String.class,
                new TypeConverterSupport() {
                    @Override
                    public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                        return type.cast(MessageDeliveryMode.valueOf(value.toString().trim().toUpperCase(Locale.ROOT)));
                    }
                });
        PassThroughMessageConverter converter = new PassThroughMessageConverter(context);
        context.getRegistry().bind("passThroughMessageConverter", converter);
        BatchingRabbitContainerFactory.register(context, connectionFactory, converter,
                settings.integer("bridge.rabbitmq.batch-size", 1, 65_535),
                settings.integer("bridge.rabbitmq.batch-interval-ms", 1, 60_000));
        // for YAML routes: "- process: { ref: rabbitAcknowledgement }" after a MANUAL-ack spring-rabbitmq consumer,
        // and "- process: { ref: amqpToKafkaHeaders }" before a Kafka endpoint
        context.getRegistry().bind(RabbitAcknowledgement.BEAN,
                new RabbitAcknowledgement(settings.integer("bridge.rabbitmq.ack-batch", 1, 65_535)));
        context.getRegistry().bind("amqpToKafkaHeaders", new AmqpToKafkaHeaders());
        return connectionFactory;
    }

    private static void addService(CamelContext context, Object service) {
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
        settings.integer("bridge.rabbitmq.confirm-timeout-ms", 1, 3_600_000);
    }
}
