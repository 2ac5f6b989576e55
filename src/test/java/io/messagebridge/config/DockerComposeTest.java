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

import com.fasterxml.jackson.databind.ObjectMapper;
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

    private static final List<String> MONITORING = List.of("prometheus", "grafana");

    private static Map<String, Object> services;
    private static Properties defaults;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        services = (Map<String, Object>) yaml(Path.of("docker-compose.yml")).get("services");
        try (Reader properties = Files.newBufferedReader(Path.of("application.properties"))) {
            defaults = new Properties();
            defaults.load(properties);
        }
    }

    @Test
    void everyServiceHasAHealthCheckAndTheBridgeWaitsForHealthyBrokers() {
        assertThat(services).containsOnlyKeys("rabbitmq", "kafka", "bridge", "prometheus", "grafana");
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

    @Test
    void prometheusAndGrafanaStartOnlyInTheMonitoringProfileFromPinnedImages() {
        services.keySet().forEach(name -> assertThat(service(name).get("profiles")).as(name)
                .isEqualTo(MONITORING.contains(name) ? List.of("monitoring") : null));
        MONITORING.forEach(name -> assertThat(service(name).get("image").toString()).as(name)
                .matches("[a-z/]+:v?\\d+\\.\\d+\\.\\d+"));
        assertThat(map(service("grafana"), "depends_on")).containsOnlyKeys("prometheus");
        MONITORING.forEach(name -> assertThat(list(service(name), "ports")).as(name)
                .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheBridgesManagementPortAndGrafanaReadsPrometheus() throws IOException {
        Map<String, Object> prometheus = yaml(Path.of("monitoring/prometheus.yml"));
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) prometheus.get("scrape_configs");
        assertThat(jobs).hasSize(1);
        List<String> targets = (List<String>) ((List<Map<String, Object>>) jobs.get(0).get("static_configs")).get(0)
                .get("targets");
        // the bridge listens on every interface of its container, at the port the application reads
        assertThat(targets).containsExactly("bridge:" + defaults.getProperty("bridge.management.port"));
        assertThat(environment("bridge")).containsEntry("BRIDGE_MANAGEMENT_HOST", "0.0.0.0")
                .containsEntry("BRIDGE_MANAGEMENT_PORT", defaults.getProperty("bridge.management.port"));
        // the path MonitoringIT scrapes from the running application; the bridge's health check shares its prefix
        assertThat(jobs.get(0).get("metrics_path")).isEqualTo("/observe/metrics");
        assertThat(map(service("bridge"), "healthcheck").get("test").toString()).contains("/observe/health/ready");
        assertThat(mountTarget("prometheus", "./monitoring/prometheus.yml")).isEqualTo(
                commandOption("prometheus", "--config.file"));

        Map<String, Object> datasource = ((List<Map<String, Object>>) yaml(
                Path.of("monitoring/grafana/provisioning/datasources/prometheus.yml")).get("datasources")).get(0);
        assertThat(datasource.get("url")).isEqualTo("http://prometheus:" + containerPorts("prometheus").get(0));
        assertThat(new ObjectMapper().readTree(Path.of("monitoring/grafana/dashboards/bridge.json").toFile())
                .findValues("datasource")).isNotEmpty().allSatisfy(used -> assertThat(used.path("uid").asText())
                        .as("the dashboard's data source").isEqualTo(datasource.get("uid")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaProvisionsTheDashboardFromTheRepositoryAndTakesItsPasswordFromTheEnvironment() throws IOException {
        MONITORING.forEach(name -> list(service(name), "volumes").stream().filter(volume -> volume.startsWith("./"))
                .forEach(volume -> assertThat(Path.of(volume.substring(0, volume.indexOf(':')))).as(volume).exists()));
        assertThat(mountTarget("grafana", "./monitoring/grafana/provisioning")).isEqualTo("/etc/grafana/provisioning");
        Map<String, Object> provider = ((List<Map<String, Object>>) yaml(
                Path.of("monitoring/grafana/provisioning/dashboards/bridge.yml")).get("providers")).get(0);
        String dashboards = mountTarget("grafana", "./monitoring/grafana/dashboards");
        assertThat(map(provider, "options").get("path")).isEqualTo(dashboards);
        assertThat(environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
                .isEqualTo(dashboards + "/bridge.json");
        assertThat(environment("grafana").get("GF_SECURITY_ADMIN_PASSWORD")).isEqualTo("${GRAFANA_ADMIN_PASSWORD:-}");
        // an empty password would leave Grafana's default one: the entrypoint refuses to start without it
        assertThat(list(service("grafana"), "entrypoint")).last().asString()
                .startsWith("if [ -z \"$$GF_SECURITY_ADMIN_PASSWORD\" ]; then").endsWith("exit 2; fi; exec /run.sh");
    }

    /** Where a service mounts a file or directory of the repository. */
    private static String mountTarget(String service, String source) {
        return list(service(service), "volumes").stream().filter(volume -> volume.startsWith(source + ":"))
                .map(volume -> volume.split(":")[1]).findFirst().orElseThrow();
    }

    private static String commandOption(String service, String option) {
        return list(service(service), "command").stream().filter(argument -> argument.startsWith(option + "="))
                .map(argument -> argument.substring(option.length() + 1)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromReader(reader);
        }
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
