package io.messagebridge.routefiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every route file names, on its first line, the Camel YAML DSL schema of the Camel version the pom builds with, so
 * that an editor with a YAML language server completes and checks it (docs/writing-routes.md, "Editor completion").
 * A Camel upgrade fails here until the lines follow.
 */
class RouteFileSchemaTest {

    /** Where the camel-yaml-dsl jar's schema/camelYamlDsl.json is generated in Apache Camel's sources. */
    private static final String SCHEMA_IN_CAMEL_SOURCES =
            "dsl/camel-yaml-dsl/camel-yaml-dsl/src/generated/resources/schema/camelYamlDsl.json";

    static String schemaLine(String camelVersion) {
        return "# yaml-language-server: $schema=https://raw.githubusercontent.com/apache/camel/camel-" + camelVersion
                + "/" + SCHEMA_IN_CAMEL_SOURCES;
    }

    @Test
    void everyRouteFileNamesTheSchemaOfThePomsCamelVersionOnItsFirstLine() throws IOException {
        String line = schemaLine(pomCamelVersion());
        List<Path> files = routeFiles();

        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(Files.readAllLines(file).get(0)).as(file.toString()).isEqualTo(line);
        }
    }

    @Test
    void theSchemaNamedIsTheOneTheCamelYamlDslJarOfThatVersionShips() throws IOException {
        URL schema = getClass().getResource("/schema/camelYamlDsl.json");

        assertThat(schema).isNotNull();
        assertThat(schema.toString()).endsWith("/camel-yaml-dsl-" + pomCamelVersion() + ".jar!/schema/camelYamlDsl.json");
        assertThat(SCHEMA_IN_CAMEL_SOURCES).endsWith(schema.toString().substring(schema.toString().indexOf("!/") + 2));
    }

    @Test
    void everyTopLevelElementOfTheRouteFilesIsOneTheSchemaDescribes() throws IOException {
        JsonNode elements;
        try (InputStream in = getClass().getResourceAsStream("/schema/camelYamlDsl.json")) {
            elements = new ObjectMapper().readTree(in).path("items").path("properties");
        }
        List<String> used = new ArrayList<>();
        for (Path file : routeFiles()) {
            for (Object element : (List<?>) new Load(LoadSettings.builder().build()).loadFromString(
                    Files.readString(file))) {
                used.addAll(((Map<String, ?>) element).keySet());
            }
        }

        assertThat(used).contains("templatedRoute", "route").allMatch(elements::has);
    }

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static String pomCamelVersion() throws IOException {
        Matcher version = Pattern.compile("<camel\\.version>([^<]+)</camel\\.version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).as("<camel.version> in pom.xml").isTrue();
        return version.group(1);
    }
}
