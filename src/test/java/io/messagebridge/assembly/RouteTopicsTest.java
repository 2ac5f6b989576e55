package io.messagebridge.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.messagebridge.routefiles.OfflineContext;
import io.messagebridge.routes.OrdersToKafkaRoute;
import io.messagebridge.routes.ShipmentNotificationsRoute;
import io.messagebridge.routes.ShipmentsToRabbitMqRoute;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topics come from the routes Camel creates, before any of them starts: Java, YAML and templated alike. */
class RouteTopicsTest {

    /** The topics of the application's Java flows and these route files, with these properties, before any route starts. */
    private static SortedSet<String> topics(Map<String, String> properties, UnaryOperator<String> deadLetterTopic,
                                            Path... routeFiles) throws Exception {
        Properties overrides = new Properties();
        overrides.putAll(properties);
        RouteTopics topics = new RouteTopics();
        try (DefaultCamelContext context = OfflineContext.create("classpath:application.properties", overrides,
                List.of(new OrdersToKafkaRoute(), new ShipmentsToRabbitMqRoute(), new ShipmentNotificationsRoute()))) {
            context.addLifecycleStrategy(topics);
            for (Path file : routeFiles) {
                PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context,
                        "file:" + file.toAbsolutePath()));
            }
            context.init();
            assertThat(context.getRoutes()).as("routes warmed up or started yet").isEmpty();
            return topics.topics(deadLetterTopic);
        }
    }

    private static Path[] projectRouteFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toArray(Path[]::new);
        }
    }

    @Test
    void everyTopicTheApplicationsRoutesReadOrWriteWithTheDeadLetterTopicsOfThoseRead() throws Exception {
        assertThat(topics(Map.of(), topic -> topic + ".DLT", projectRouteFiles())).containsExactly(
                "notifications", "order-cancellations", "order-lines", "orders", "orders.DLT", "orders.audit",
                "orders.cancelled", "orders.other", "orders.priority", "shipments", "shipments.DLT");
    }

    @Test
    void placeholdersAreResolvedAndTheDeadLetterRouteAddsNoTopicOfItsOwn() throws Exception {
        assertThat(topics(Map.of("bridge.orders.topic", "o", "bridge.shipments.topic", "s",
                "bridge.notifications.topic", "n"), topic -> topic + "-dead"))
                .containsExactly("n", "o", "s", "s-dead");
    }

    @Test
    void anIntegratorsRouteFileAddsWhatItReadsAndSendsToButNoPatternOrPerMessageTopic(@TempDir Path folder)
            throws Exception {
        Path file = Files.writeString(folder.resolve("invoices.yaml"), """
                - route:
                    id: invoices
                    from:
                      uri: "kafka:invoices,credit-notes?groupId=invoices"
                      steps:
                        - to: "kafka:invoices.booked"
                        - toD: "kafka:${header.tenant}.invoices"
                - route:
                    id: everything
                    from:
                      uri: "kafka:audit.*?groupId=audit&topicIsPattern=true"
                      steps:
                        - choice:
                            when:
                              - simple: "${header.kafka.KEY} == 'x'"
                                steps:
                                  - to: "kafka-batch:audit.x"
                """);
        assertThat(topics(Map.of(), topic -> topic + ".DLT", file))
                .contains("invoices", "invoices.DLT", "credit-notes", "credit-notes.DLT", "invoices.booked", "audit.x")
                .noneMatch(topic -> topic.contains("audit.*") || topic.contains("tenant"));
    }
}
