package io.messagebridge.harness;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.messagebridge.bridge.RabbitAcknowledgement;
import io.messagebridge.routefiles.OfflineContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
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

/**
 * Runs a route file (YAML) or a Java RouteBuilder without brokers, for unit tests: the bridge's templates, route
 * configuration and dead-letter route are there, every {@code kafka:} and {@code spring-rabbitmq:} endpoint a route
 * sends to is an in-memory recorder, and every route that consumes from a broker consumes from
 * {@code direct:<route id>} instead. Send sample input with {@link #send}, read what came out with {@link #sent}
 * and {@link #deadLetters}.
 * <pre>
 * try (RouteUnderTest route = RouteUnderTest.file("routes/order-lines.yaml", Map.of("bridge.order-lines.topic", "lines"))) {
 *     route.send("direct:order-lines", "{\"orderId\":\"o-1\",\"lines\":[{\"sku\":\"A\"}]}", RouteUnderTest.kafkaRecord("orders", "o-1"));
 *     assertThat(route.sent("kafka:lines")).extracting(RouteUnderTest.Sent::body).containsExactly(...);
 * }
 * </pre>
 */
public final class RouteUnderTest implements AutoCloseable {

    private static final List<String> BROKER_SCHEMES = List.of("kafka", "spring-rabbitmq");

    private final DefaultCamelContext context;
    private final ProducerTemplate producer;

    private RouteUnderTest(DefaultCamelContext context) {
        this.context = context;
        this.producer = context.createProducerTemplate();
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

    /** Sends a message to an endpoint of the routes, e.g. {@code direct:order-lines}; returns the exchange after. */
    public Exchange send(String uri, String body, Map<String, Object> headers) {
        return producer.send(uri, exchange -> {
            exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
            exchange.getMessage().setHeaders(new HashMap<>(headers));
        });
    }

    /** What the routes sent to a broker endpoint, e.g. {@code kafka:order-lines} (placeholders are resolved). */
    public List<Sent> sent(String uri) {
        List<Sent> sent = new ArrayList<>();
        for (Exchange exchange : recorder(context.resolvePropertyPlaceholders(uri)).getReceivedExchanges()) {
            Object body = exchange.getMessage().getBody();
            sent.add(new Sent(body == null ? null : exchange.getMessage().getBody(String.class),
                    new LinkedHashMap<>(exchange.getMessage().getHeaders())));
        }
        return sent;
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
        for (RouteDefinition route : context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()) {
            FromDefinition from = route.getInput();
            if (isBroker(from.getEndpointUri())) {
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
        return new RouteUnderTest(context);
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

    /** mock:<scheme>:<name>, without the options, so that a test names an endpoint as it reads in the route. */
    private static String recorderUri(String uri) {
        String plain = URISupport.stripQuery(uri).replace("://", ":");
        return "mock:" + plain;
    }

    private static boolean isBroker(String uri) {
        return uri != null && BROKER_SCHEMES.stream().anyMatch(scheme -> uri.startsWith(scheme + ":"));
    }
}
