package io.messagebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/ stay true to the project: every link between them lands on a file and a heading that exist,
 * every setting they name is one application.properties or camel-main has, and every Maven execution they show is in
 * pom.xml.
 */
public class DocumentationTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern SETTING = Pattern.compile("`((?:bridge|kafka|rabbitmq|camel)\\.[a-z0-9.\\-]*[a-z0-9])`");
    private static final Pattern EXECUTION = Pattern.compile("exec:exec@([\\w-]+)");

    @Test
    void everyLinkLandsOnAFileAndAHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            Matcher link = LINK.matcher(Files.readString(doc));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                Path file = hash == 0 ? doc : doc.resolveSibling(hash < 0 ? target : target.substring(0, hash)).normalize();
                if (!Files.exists(file)) {
                    broken.add(doc + ": " + target + " (no such file)");
                } else if (hash >= 0 && !headings(file).contains(target.substring(hash + 1))) {
                    broken.add(doc + ": " + target + " (no such heading in " + file + ")");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everySettingTheDocsNameIsOneTheApplicationHas() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("application.properties"))) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                keys.add(relaxed(line.substring(0, equals).trim()));
            }
        }
        // camel-main's own keys, which an operator may set although application.properties leaves them at default
        try (InputStream metadata = getClass().getResourceAsStream("/META-INF/camel-main-configuration-metadata.json")) {
            assertThat(metadata).as("camel-main's configuration metadata").isNotNull();
            new ObjectMapper().readTree(metadata).path("properties")
                    .forEach(property -> keys.add(relaxed(property.path("name").asText())));
        }
        Set<String> unknown = new TreeSet<>();
        for (Path doc : documents()) {
            Matcher setting = SETTING.matcher(Files.readString(doc));
            while (setting.find()) {
                if (!keys.contains(relaxed(setting.group(1)))) {
                    unknown.add(doc + ": " + setting.group(1));
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void everyMavenExecutionTheDocsShowIsInThePom() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Set<String> missing = new TreeSet<>();
        for (Path doc : documents()) {
            Matcher execution = EXECUTION.matcher(Files.readString(doc));
            while (execution.find()) {
                if (!pom.contains("<id>" + execution.group(1) + "</id>")) {
                    missing.add(doc + ": " + execution.group(0));
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    /** A key as camel-main matches it: {@code route-filter-exclude-pattern} is {@code routeFilterExcludePattern}. */
    private static String relaxed(String key) {
        return key.replace("-", "").toLowerCase(Locale.ROOT);
    }

    public static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md"), Path.of("BENCHMARKS.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        assertThat(documents).hasSizeGreaterThan(3);
        return documents;
    }

    /** The anchors a code host gives a file's headings: lower case, punctuation dropped, spaces as dashes. */
    private static Set<String> headings(Path file) throws IOException {
        Set<String> anchors = new TreeSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code && line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
