package io.messagebridge.harness;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.messagebridge.assembly.BridgeAssembly;
import io.messagebridge.rabbitmq.BatchingRabbitContainerFactory;
import io.messagebridge.rabbitmq.RabbitAcknowledgement;
import io.messagebridge.rabbitmq.RabbitDeliveries;
import io.messagebridge.routefiles.OfflineContext;
import io.messagebridge.tokafka.KafkaBatchComponent;
import io.messagebridge.tokafka.KafkaRecordBatch;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.OrderedLocationProperties;
import org.apache.camel.util.URISupport;
import org.apache.kafka.common.header.Header;
import org.springframework.amqp.core.MessageProperties;

/**
 * Runs a route file (YAML) or a Java RouteBuilder without brokers, for unit tests: the bridge's templates, route
 * configuration and dead-letter route are there, every {@code kafka:}, {@code kafka-batch:} and {@code spring-rabbitmq:}
 * endpoint a route sends to is an in-memory recorder (which acknowledges nothing), and every route that consumes from a
 * broker consumes from {@code direct:<route id>} instead. Send sample input with {@link #send}, read what came out
 * with {@link #sent} and {@link #deadLetters}.
 * <pre>
 * try (RouteUnderTest route = RouteUnderTest.file("routes/order-lines.yaml", Map.of("bridge.order-lines.topic", "lines"))) {
 *     route.send("direct:order-lines", "{\"orderId\":\"o-1\",\"lines\":[{\"sku\":\"A\"}]}", RouteUnderTest.kafkaRecord("orders", "o-1"));
 *     assertThat(route.sent("kafka:lines")).extracting(RouteUnderTest.Sent::body).containsExactly(...);
 * }
 * </pre>
 */
public final class RouteUnderTest implements AutoCloseable {

    private final DefaultCamelContext context;
    private final ProducerTemplate producer;
    /** The direct: inputs of routes that consume RabbitMQ deliveries in batches. */
    private final Set<String> batchInputs;

    private RouteUnderTest(DefaultCamelContext context, Set<String> batchInputs) {
        this.context = context;
        this.producer = context.createProducerTemplate();
        this.batchInputs = batchInputs;
    }

    /** Loads one route file (relative to the project directory) with application.properties plus {@code properties}. */
    public static RouteUnderTest file(String routeFile, Map<String, String> properties) throws Exception {
        Path file = Path.of(routeFile).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no route file " + file);
        }
        DefaultCamelContext context = offline(properties, List.of());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:" + file));
        return start(context);
    }

    /** The same for Java DSL routes. */
    public static RouteUnderTest java(RoutesBuilder routes, Map<String, String> properties) throws Exception {
        return start(offline(properties, List.of(routes)));
    }

    /** The headers camel-kafka's consumer sets on a record (used for dead letters' origin and keys). */
    public static Map<String, Object> kafkaRecord(String topic, String key) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(KafkaConstants.TOPIC, topic);
        headers.put(KafkaConstants.PARTITION, 0);
        headers.put(KafkaConstants.OFFSET, 0L);
        headers.put(KafkaConstants.KEY, key);
        headers.put(KafkaConstants.TIMESTAMP, 1_700_000_000_000L);
        return headers;
    }

    /**
     * Sends a message to an endpoint of the routes, e.g. {@code direct:order-lines}; returns the exchange after. A
     * route that takes RabbitMQ deliveries in batches gets a batch of this one message, its headers (as the
     * spring-rabbitmq consumer names them: CamelSpringRabbitmqMessageId...) turned into AMQP properties.
     */
    public Exchange send(String uri, String body, Map<String, Object> headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return producer.send(uri, exchange -> {
            if (batchInputs.contains(uri)) {
                exchange.getMessage().setBody(new RabbitDeliveries(List.of(amqpMessage(bytes, headers))));
            } else {
                exchange.getMessage().setBody(bytes);
                exchange.getMessage().setHeaders(new HashMap<>(headers));
            }
        });
    }

    private static org.springframework.amqp.core.Message amqpMessage(byte[] body, Map<String, Object> headers) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryTag(1);
        headers.forEach((name, value) -> {
            switch (name) {
                case SpringRabbitMQConstants.MESSAGE_ID -> properties.setMessageId((String) value);
                case SpringRabbitMQConstants.CORRELATION_ID -> properties.setCorrelationId((String) value);
                case SpringRabbitMQConstants.CONTENT_TYPE -> properties.setContentType((String) value);
                case SpringRabbitMQConstants.TIMESTAMP -> properties.setTimestamp((Date) value);
                case SpringRabbitMQConstants.EXCHANGE_NAME -> properties.setReceivedExchange((String) value);
                case SpringRabbitMQConstants.ROUTING_KEY -> properties.setReceivedRoutingKey((String) value);
                default -> properties.setHeader(name, value);
            }
        });
        return new org.springframework.amqp.core.Message(body, properties);
    }

    /** What the routes sent to a broker endpoint, e.g. {@code kafka:order-lines} (placeholders are resolved). */
    public List<Sent> sent(String uri) {
        List<Sent> sent = new ArrayList<>();
        for (Exchange exchange : recorder(context.resolvePropertyPlaceholders(uri)).getReceivedExchanges()) {
            if (exchange.getMessage().getBody() instanceof KafkaRecordBatch batch) {
                batch.records().forEach(record -> sent.add(sent(record)));
            } else if (exchange.getMessage().getBody() instanceof Iterable<?> records) {
                // camel-kafka sends each exchange or message of a list body as a record of its own
                records.forEach(record -> sent.add(sent(record instanceof Exchange one ? one.getMessage() : (Message) record)));
            } else {
                sent.add(sent(exchange.getMessage()));
            }
        }
        return sent;
    }

    /** A record as camel-kafka's consumer would give it: its key in kafka.KEY, its headers' values as text. */
    private static Sent sent(KafkaRecordBatch.Record record) {
        Map<String, Object> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        headers.put(KafkaConstants.KEY, record.key());
        return new Sent(new String(record.value(), StandardCharsets.UTF_8), headers);
    }

    private static Sent sent(Message message) {
        return new Sent(message.getBody() == null ? null : message.getBody(String.class),
                new LinkedHashMap<>(message.getHeaders()));
    }

    /** Dead letters the routes wrote, to Kafka (with the dead-letter topic in {@code kafka.OVERRIDE_TOPIC}) or RabbitMQ. */
    public List<Sent> deadLetters() {
        List<Sent> deadLetters = new ArrayList<>(sent("kafka:dead-letters"));
        deadLetters.addAll(sent("spring-rabbitmq:{{bridge.dead-letter.exchange}}"));
        return deadLetters;
    }

    public DefaultCamelContext context() {
        return context;
    }

    @Override
    public void close() {
        context.stop();
    }

    /** A message a route sent: its body as text and its headers. */
    public record Sent(String body, Map<String, Object> headers) {
        public Object header(String name) {
            return headers.get(name);
        }
    }

    private static DefaultCamelContext offline(Map<String, String> properties, List<RoutesBuilder> routes)
            throws Exception {
        Properties overrides = new Properties();
        overrides.putAll(properties);
        return OfflineContext.create("classpath:application.properties", overrides, routes);
    }

    private static RouteUnderTest start(DefaultCamelContext context) {
        Set<String> batchInputs = new HashSet<>();
        for (RouteDefinition route : context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()) {
            FromDefinition from = route.getInput();
            if (isBroker(from.getEndpointUri())) {
                if (from.getEndpointUri().startsWith(BatchingRabbitContainerFactory.SCHEME + ":")) {
                    batchInputs.add("direct:" + route.getRouteId());
                }
                from.setUri("direct:" + route.getRouteId());
            }
            for (ToDefinition to : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ToDefinition.class)) {
                if (isBroker(to.getEndpointUri())) {
                    to.setUri(recorderUri(resolve(context, route, to.getEndpointUri())));
                }
            }
        }
        // messages sent to direct: have no RabbitMQ channel to ack on
        context.getRegistry().unbind(RabbitAcknowledgement.BEAN);
        context.getRegistry().bind(RabbitAcknowledgement.BEAN, (Processor) exchange -> { });
        context.setAutoStartup(true);
        context.start();
        return new RouteUnderTest(context, batchInputs);
    }

    /** Placeholders resolved the way the route's own would be: a template instance's parameters first. */
    private static String resolve(DefaultCamelContext context, RouteDefinition route, String uri) {
        if (route.getTemplateParameters() == null) {
            return context.resolvePropertyPlaceholders(uri);
        }
        OrderedLocationProperties parameters = new OrderedLocationProperties();
        parameters.putAll("TemplateProperties", new HashMap<>(route.getTemplateParameters()));
        context.getPropertiesComponent().setLocalProperties(parameters);
        try {
            return context.resolvePropertyPlaceholders(uri);
        } finally {
            context.getPropertiesComponent().setLocalProperties(null);
        }
    }

    private MockEndpoint recorder(String uri) {
        return context.getEndpoint(recorderUri(uri), MockEndpoint.class);
    }

    /**
     * mock:<scheme>:<name>, without the options, so that a test names an endpoint as it reads in the route; a batch of
     * Kafka records ({@value KafkaBatchComponent#SCHEME}) goes to the same topic as kafka: does.
     */
    private static String recorderUri(String uri) {
        String plain = URISupport.stripQuery(uri).replace("://", ":").replaceFirst("^" + KafkaBatchComponent.SCHEME + ":", "kafka:");
        return "mock:" + plain;
    }

    private static boolean isBroker(String uri) {
        return uri != null && BridgeAssembly.BROKER_SCHEMES.stream().anyMatch(scheme -> uri.startsWith(scheme + ":"));
    }
}
