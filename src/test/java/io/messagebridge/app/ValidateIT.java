package io.messagebridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.messagebridge.harness.BridgeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar ... validate [folder]}, as CI and integrators run it: the project's own routes/ must pass (this is
 * how the build checks them), and a broken file is reported as file:line: message with a failing exit code. No broker
 * is reachable at the configured addresses, and none is needed.
 */
class ValidateIT {

    /** Nothing listens there: validate must not need a broker. */
    private static final Map<String, String> NO_BROKERS = Map.of(
            "KAFKA_BROKERS", "127.0.0.1:1", "RABBITMQ_HOST", "127.0.0.1", "RABBITMQ_PORT", "1");

    @TempDir
    Path folder;

    private static List<String> validate(String routes, int expectedExitCode) {
        BridgeProcess validate = new BridgeProcess("validate-" + UUID.randomUUID().toString().substring(0, 8), NO_BROKERS)
                .arguments("validate", routes).start();
        assertThat(validate.waitForExit(Duration.ofSeconds(60))).as(validate.logFile().toString()).isEqualTo(expectedExitCode);
        return validate.log();
    }

    @Test
    void theProjectsRouteFilesAreValid() {
        assertThat(validate("routes", 0)).singleElement().asString().matches("\\d+ route files checked in routes, 0 problems");
    }

    @Test
    void eachProblemIsOneLineNamingFileAndLine() throws IOException {
        Files.copy(Path.of("routes/orders-audit.yaml"), folder.resolve("a-good.yaml"));
        Files.writeString(folder.resolve("b-typo.yaml"), """
                - route:
                    id: typo
                    from:
                      uri: direct:typo
                      steps:
                        - tooo: "kafka:{{bridge.orders.topic}}"
                """);
        Files.writeString(folder.resolve("c-bridge.yaml"), """
                - templatedRoute:
                    routeTemplateRef: kafka-to-rabbitmq
                    routeId: refunds-to-rabbitmq
                    parameters:
                      - { name: topic, value: refunds }
                      - { name: group, value: refunds }
                      - { name: exchange, value: refunds }
                """);

        List<String> output = validate(folder.toString(), 1);
        assertThat(output).hasSize(3);
        assertThat(output.get(0)).startsWith(folder.resolve("b-typo.yaml") + ":6: ").contains("tooo");
        assertThat(output.get(1)).startsWith(folder.resolve("c-bridge.yaml") + ":2: ")
                .contains("kafka-to-rabbitmq").contains("routingKey");
        assertThat(output.get(2)).isEqualTo("3 route files checked in " + folder + ", 2 problems");
    }
}
