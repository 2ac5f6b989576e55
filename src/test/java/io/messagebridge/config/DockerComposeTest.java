package io.messagebridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * There is no Docker engine on CI, so docker-compose.yml is checked against what the application reads: its
 * variables are keys of application.properties, its addresses name services and ports that exist, and the files
 * an integrator edits are mounted where the application looks for them.
 */
class DockerComposeTest {

    /** Read by the JVM or the launcher, not application.properties keys. */
    private static final Set<String> NOT_SETTINGS = Set.of("JAVA_TOOL_OPTIONS", "BRIDGE_SECRETS_FILE");

    private static Map<String, Object> services;
    private static Properties defaults;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (Reader compose = Files.newBufferedReader(Path.of("docker-compose.yml"));
             Reader properties = Files.newBufferedReader(Path.of("application.properties"))) {
            services = (Map<String, Object>) ((Map<String, Object>) new Load(LoadSettings.builder().build())
                    .loadFromReader(compose)).get("services");
            defaults = new Properties();
            defaults.load(properties);
        }
    }

    @Test
    void everyServiceHasAHealthCheckAndTheBridgeWaitsForHealthyBrokers() {
        assertThat(services).containsOnlyKeys("rabbitmq", "kafka", "bridge");
        services.keySet().forEach(name -> assertThat(service(name)).as(name).containsKey("healthcheck"));
        assertThat(map(service("bridge"), "depends_on")).containsOnlyKeys("rabbitmq", "kafka")
                .allSatisfy((name, condition) -> assertThat(condition).isEqualTo(Map.of("condition", "service_healthy")));
    }

    @Test
    void everyVariableGivenToTheBridgeIsASettingItReads() {
        Set<String> settingVariables = defaults.stringPropertyNames().stream()
                .map(InvalidSettingException::environmentName).collect(Collectors.toSet());
        assertThat(environment("bridge").keySet()).filteredOn(variable -> !NOT_SETTINGS.contains(variable))
                .isNotEmpty().allSatisfy(variable -> assertThat(settingVariables)
                        .as("application.properties key for %s", variable).contains(variable));
    }

    @Test
    void theBridgePointsAtTheBrokerServicesAndPublishesItsManagementPorts() {
        Map<String, Object> env = environment("bridge");
        assertThat(env.get("RABBITMQ_HOST")).isEqualTo("rabbitmq");
        assertThat(containerPorts("rabbitmq")).contains(String.valueOf(env.get("RABBITMQ_PORT")), "15672");
        String[] kafka = env.get("KAFKA_BROKERS").toString().split(":");
        assertThat(kafka[0]).isEqualTo("kafka");
        assertThat(environment("kafka").get("KAFKA_LISTENERS").toString()).contains("://:" + kafka[1]);
        assertThat(containerPorts("kafka")).contains("9092");

        assertThat(env.get("BRIDGE_MANAGEMENT_PORT")).isEqualTo(defaults.getProperty("bridge.management.port"));
        assertThat(env.get("BRIDGE_JMX_PORT")).isEqualTo(defaults.getProperty("bridge.jmx.port"));
        assertThat(containerPorts("bridge")).contains(defaults.getProperty("bridge.management.port"),
                defaults.getProperty("bridge.jmx.port"));
        // published on the host's loopback only, as the application itself would listen outside a container
        assertThat(list(service("bridge"), "ports")).allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
        assertThat(env).containsEntry("BRIDGE_MANAGEMENT_HOST", "0.0.0.0").containsEntry("BRIDGE_JMX_HOST", "0.0.0.0");
        assertThat(env.get("BRIDGE_JMX_ENABLED").toString()).endsWith(":-false}");
        assertThat(Long.parseLong(env.get("BRIDGE_SHUTDOWN_TIMEOUT").toString()))
                .isLessThan(Long.parseLong(service("bridge").get("stop_grace_period").toString().replace("s", "")));
    }

    @Test
    void routesAndPropertiesAreMountedWhereTheApplicationReadsThemAndNoSecretIsWrittenDown() throws IOException {
        assertThat(defaults.getProperty("camel.main.routes-include-pattern")).isEqualTo("file:routes/*.yaml");
        assertThat(map(service("bridge"), "build").get("dockerfile_inline").toString()).contains("WORKDIR /app");
        assertThat(list(service("bridge"), "volumes")).contains("./routes:/app/routes",
                "./application.properties:/app/application.properties:ro");
        Map<String, Object> env = environment("bridge");
        assertThat(env.get("BRIDGE_JMX_PASSWORD_FILE").toString()).startsWith("/run/secrets/bridge/");
        assertThat(list(service("bridge"), "volumes")).contains("./secrets:/run/secrets/bridge:ro");
        assertThat(env.get("RABBITMQ_PASSWORD").toString()).startsWith("${RABBITMQ_PASSWORD");
        assertThat(Files.readString(Path.of(".gitignore"))).contains("secrets/");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> parent, String key) {
        return (List<String>) parent.get(key);
    }

    private static Map<String, Object> environment(String service) {
        return map(service(service), "environment");
    }

    /** "127.0.0.1:9876:9876" or "5672:5672": the container side. */
    private static List<String> containerPorts(String service) {
        return list(service(service), "ports").stream().map(port -> port.substring(port.lastIndexOf(':') + 1)).toList();
    }
}
