package io.messagebridge.routefiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.messagebridge.routes.OrdersToKafkaRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each class of problem a route file can have is reported as file:line: message, and a good file as its route ids. */
class RouteFileCheckTest {

    @TempDir
    Path folder;
    private RouteFileCheck check;

    @BeforeEach
    void create() throws Exception {
        check = RouteFileCheck.create("classpath:application.properties", List.of(new OrdersToKafkaRoute()));
    }

    @AfterEach
    void close() {
        check.close();
    }

    private Path file(String name, String yaml) throws IOException {
        return Files.writeString(folder.resolve(name), yaml);
    }

    private static final String GOOD = """
            - templatedRoute:
                routeTemplateRef: rabbitmq-to-kafka
                routeId: invoices-to-kafka
                parameters:
                  - { name: exchange, value: invoices }
                  - { name: queue, value: invoices.to-kafka }
                  - { name: topic, value: invoices }
                  - { name: keyField, value: invoiceId }
            - route:
                id: invoice-log
                from:
                  uri: direct:invoice-log
                  steps:
                    - log: "${body}"
            """;

    @Test
    void theProjectsOwnRouteFilesAreGoodAndCheckingThemStartsNoBrokerClient() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.sorted().toList()) {
                assertThat(check.check(file).problems()).as(file.toString()).isEmpty();
            }
        }
        // a Kafka client runs a network thread from its creation on, a RabbitMQ connection a reader thread
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("kafka-producer-network-thread") || name.startsWith("kafka-coordinator")
                        || name.startsWith("AMQP Connection"));
    }

    @Test
    void aGoodFileGivesItsRouteIdsTemplatedOnesIncluded() throws IOException {
        RouteFileCheck.Result result = check.check(file("invoices.yaml", GOOD));
        assertThat(result.problems()).isEmpty();
        assertThat(result.routeIds()).containsExactlyInAnyOrder("invoices-to-kafka", "invoice-log");
    }

    @Test
    void aYamlErrorNamesItsLine() throws IOException {
        Path file = file("broken.yaml", """
                - route:
                    id: broken
                    from:
                      uri: direct:a
                      steps:
                        - log: "unterminated
                """);
        assertThat(check.check(file).problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.line()).isBetween(6, 7);
            assertThat(p.toString()).startsWith(file + ":" + p.line() + ": ");
        });
    }

    @Test
    void anUnknownEipNamesItsLine() throws IOException {
        Path file = file("eip.yaml", """
                - route:
                    id: eip
                    from:
                      uri: direct:a
                      steps:
                        - log: ok
                        - frobnicate:
                            times: 3
                """);
        assertThat(check.check(file).problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.message()).contains("frobnicate");
        });
    }

    @Test
    void anUnknownEndpointNamesTheRouteTheStepAndItsLine() throws IOException {
        Path file = file("endpoint.yaml", """
                - route:
                    id: endpoint
                    from:
                      uri: direct:a
                      steps:
                        - log: ok
                        - to: "nosuchcomponent:out"
                """);
        assertThat(check.check(file).problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.message()).contains("route endpoint").contains("nosuchcomponent");
        });
    }

    @Test
    void anUnknownConsumerEndpointNamesItsLine() throws IOException {
        Path file = file("consumer.yaml", """
                - route:
                    id: consumer
                    from:
                      uri: "nosuchcomponent:in"
                      steps:
                        - log: never
                """);
        assertThat(check.check(file).problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("route consumer").contains("nosuchcomponent");
        });
    }

    @Test
    void aMissingTemplateParameterNamesItAndTheTemplatedRoute() throws IOException {
        Path file = file("missing.yaml", GOOD.replaceAll(" *- \\{ name: keyField.*\n", ""));
        assertThat(check.check(file).problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("rabbitmq-to-kafka").contains("keyField");
            assertThat(p.line()).isEqualTo(2);
        });
    }

    @Test
    void anUnknownPlaceholderIsReported() throws IOException {
        Path file = file("placeholder.yaml", """
                - route:
                    id: placeholder
                    from:
                      uri: direct:a
                      steps:
                        - to: "kafka:{{bridge.no-such.topic}}"
                """);
        assertThat(check.check(file).problems()).singleElement().satisfies(p ->
                assertThat(p.message()).contains("bridge.no-such.topic"));
    }

    @Test
    void aRouteIdTakenByAnotherFileOrAJavaRouteIsReportedAndTheFileLeavesNothingBehind() throws IOException {
        assertThat(check.check(file("first.yaml", GOOD)).problems()).isEmpty();
        Path again = file("again.yaml", GOOD.replace("invoice-log", "other-log"));
        assertThat(check.check(again).problems()).singleElement().satisfies(p ->
                assertThat(p.message()).contains("invoices-to-kafka"));
        Path java = file("java.yaml", """
                - route:
                    id: orders-to-kafka
                    from:
                      uri: direct:a
                      steps:
                        - log: ok
                """);
        assertThat(check.check(java).problems()).singleElement().satisfies(p ->
                assertThat(p.message()).contains("orders-to-kafka"));
        assertThat(check.check(file("third.yaml", GOOD.replace("invoices-to-kafka", "third").replace("invoice-log", "other-log")))
                .problems()).isEmpty();
    }
}
