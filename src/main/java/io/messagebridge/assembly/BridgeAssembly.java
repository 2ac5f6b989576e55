package io.messagebridge.assembly;

import java.util.List;
import java.util.Locale;

import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import io.messagebridge.errors.BridgeErrorHandling;
import io.messagebridge.errors.DeadLetterRoute;
import io.messagebridge.errors.PerRouteRedelivery;
import io.messagebridge.outputs.ConfirmChannels;
import io.messagebridge.outputs.ConfirmedRabbitComponent;
import io.messagebridge.outputs.PipelinedKafkaComponent;
import io.messagebridge.rabbitmq.BatchingRabbitContainerFactory;
import io.messagebridge.rabbitmq.PassThroughMessageConverter;
import io.messagebridge.rabbitmq.RabbitAcknowledgement;
import io.messagebridge.templates.BridgeTemplates;
import io.messagebridge.tokafka.AmqpToKafkaHeaders;
import io.messagebridge.tokafka.KafkaBatchComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.support.TypeConverterSupport;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * What the bridge is made of, in one place: the beans, components and type converter its routes refer to and the
 * per-route redelivery ({@link #assemble}), and the route configuration, dead-letter route and route templates
 * ({@link #routes}). Every context of the bridge is built through it: the application's ({@link BrokerConfiguration},
 * app/Application), the validate command's and hot reload's (routefiles/OfflineContext) and the route unit tests'
 * (RouteUnderTest, through OfflineContext), so that a part added here is in each of them. The languages (jsonfield,
 * jsonnumber, routingkey) and the kafka-batch component are not here: Camel finds them through META-INF/services.
 * Nothing it adds connects to a broker before it is used. The beans: {@code rabbitConnectionFactory} (with publisher
 * confirms), {@code passThroughMessageConverter}, {@code rabbitMqSettings}, {@value ConfirmChannels#BEAN}, and for
 * YAML routes {@value RabbitAcknowledgement#BEAN} and {@code amqpToKafkaHeaders}; the components: kafka
 * ({@link PipelinedKafkaComponent}), spring-rabbitmq ({@link ConfirmedRabbitComponent}) and
 * {@value BatchingRabbitContainerFactory#SCHEME}.
 */
public final class BridgeAssembly {

    /** The schemes of the endpoints that reach a broker (the ones a check or a test must never start). */
    public static final List<String> BROKER_SCHEMES = List.of(PipelinedKafkaComponent.SCHEME, KafkaBatchComponent.SCHEME,
            ConfirmedRabbitComponent.SCHEME, BatchingRabbitContainerFactory.SCHEME);

    private BridgeAssembly() {
    }

    /**
     * Binds the beans, components and converter routes refer to, and the per-route redelivery, into a context that
     * has not started. Returns the spring-rabbitmq connection factory, which has not connected.
     */
    public static CachingConnectionFactory assemble(CamelContext context, Settings settings, RabbitMqSettings rabbitMq) {
        context.getCamelContextExtension().getContextPlugin(Model.class)
                .addModelLifecycleStrategy(new PerRouteRedelivery(context));
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

    /** The route builders every context of the bridge has besides its flows, in the order they are added. */
    public static List<RoutesBuilder> routes() {
        return List.of(new BridgeErrorHandling(), new DeadLetterRoute(), new BridgeTemplates());
    }
}
