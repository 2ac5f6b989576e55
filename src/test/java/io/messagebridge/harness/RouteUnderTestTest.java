package io.messagebridge.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.messagebridge.harness.RouteUnderTest.Sent;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The route unit-test helper itself: brokers swapped for in-memory endpoints, placeholders, dead letters. */
class RouteUnderTestTest {

    @TempDir
    Path folder;

    private static final String ROUTE = """
            - route:
                id: echo
                routeConfigurationId: bridge
                from:
                  uri: "spring-rabbitmq:{{test.exchange}}?queues=q&acknowledgeMode=MANUAL"
                  steps:
                    - process: { ref: rabbitAcknowledgement }
                    - setHeader:
                        name: kafka.KEY
                        expression:
                          language: { language: jsonfield, expression: id }
                    - choice:
                        when:
                          - simple: "${header.kafka.KEY} == 'twice'"
                            steps:
                              - to: "kafka:{{test.topic}}?synchronous=true"
                    - to: "kafka:{{test.topic}}"
            """;

    @Test
    void aBrokerConsumerBecomesDirectAndWhatIsSentIsRecordedWithPlaceholdersResolved() throws Exception {
        Path file = Files.writeString(folder.resolve("echo.yaml"), ROUTE);
        try (RouteUnderTest route = RouteUnderTest.file(file.toString(), Map.of("test.exchange", "in", "test.topic", "out"))) {
            Exchange done = route.send("direct:echo", "{\"id\":\"once\"}", Map.of("trace", "t-1"));
            route.send("direct:echo", "{\"id\":\"twice\"}", Map.of());

            assertThat(done.getException()).isNull();
            assertThat(route.sent("kafka:out")).extracting(Sent::body)
                    .containsExactly("{\"id\":\"once\"}", "{\"id\":\"twice\"}", "{\"id\":\"twice\"}");
            assertThat(route.sent("kafka:{{test.topic}}")).hasSize(3);
            assertThat(route.sent("kafka:out").get(0).headers()).containsEntry("trace", "t-1").containsEntry("kafka.KEY", "once");
            assertThat(route.sent("kafka:elsewhere")).isEmpty();
            assertThat(route.deadLetters()).isEmpty();
        }
    }

    @Test
    void aBadMessageIsADeadLetterWithItsReason() throws Exception {
        Path file = Files.writeString(folder.resolve("echo.yaml"), ROUTE);
        try (RouteUnderTest route = RouteUnderTest.file(file.toString(), Map.of("test.exchange", "in", "test.topic", "out"))) {
            route.send("direct:echo", "{\"no\":\"id\"}", RouteUnderTest.kafkaRecord("in-topic", "k"));

            assertThat(route.sent("kafka:out")).isEmpty();
            assertThat(route.deadLetters()).singleElement().satisfies(dead -> {
                assertThat(dead.body()).isEqualTo("{\"no\":\"id\"}");
                assertThat(dead.header("x-error-message")).isEqualTo("no 'id' field");
                assertThat(dead.header("x-error-route")).isEqualTo("echo");
                assertThat(dead.header("kafka.OVERRIDE_TOPIC")).isEqualTo("in-topic.DLT");
            });
        }
    }

    @Test
    void aRouteThatNamesNoRouteConfigurationGetsDeadLettersAllTheSame() throws Exception {
        Path file = Files.writeString(folder.resolve("plain.yaml"), ROUTE.replaceAll(" *routeConfigurationId: bridge\n", ""));
        try (RouteUnderTest route = RouteUnderTest.file(file.toString(), Map.of("test.exchange", "in", "test.topic", "out"))) {
            route.send("direct:echo", "not json", RouteUnderTest.kafkaRecord("in-topic", "k"));

            assertThat(route.deadLetters()).singleElement().satisfies(dead ->
                    assertThat(dead.header("x-error-message").toString()).startsWith("body is not valid JSON"));
        }
    }

    @Test
    void aMissingFileIsSaidPlainly() {
        assertThatThrownBy(() -> RouteUnderTest.file("routes/no-such.yaml", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no route file").hasMessageContaining("no-such.yaml");
    }
}
