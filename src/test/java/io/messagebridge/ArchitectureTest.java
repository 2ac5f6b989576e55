package io.messagebridge;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of src/main and the directions they may depend on, as docs/architecture.md draws them (its table
 * "Allowed dependencies" is read here, so the page and the rule cannot drift apart): no package cycles, and each
 * package uses only the packages its row names.
 */
class ArchitectureTest {

    private static final String ROOT = "io.messagebridge";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // the compiled main classes only: scanning the class path for the package would read every jar
        classes = new ClassFileImporter().importPath(Path.of("target/classes"));
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachPackageUsesOnlyWhatTheTableAllows() throws IOException {
        Map<String, Set<String>> allowed = allowedDependencies();
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : allowed.keySet()) {
            layers = layers.layer(layer).definedBy(ROOT + "." + layer + "..");
        }
        for (Map.Entry<String, Set<String>> row : allowed.entrySet()) {
            layers = row.getValue().isEmpty()
                    ? layers.whereLayer(row.getKey()).mayNotAccessAnyLayer()
                    : layers.whereLayer(row.getKey()).mayOnlyAccessLayers(row.getValue().toArray(String[]::new));
        }
        layers.check(classes);
    }

    /**
     * The same rule on the sources' imports, which also see what the bytecode does not: a constant of another package
     * is copied into the class that uses it, leaving no dependency for the class-file check to find.
     */
    @Test
    void importsFollowTheTableToo() throws IOException {
        Map<String, Set<String>> allowed = allowedDependencies();
        Pattern anImport = Pattern.compile("(?m)^import (?:static )?" + Pattern.quote(ROOT) + "\\.(\\w+)\\.");
        List<String> violations = new ArrayList<>();
        Path sources = Path.of("src/main/java", ROOT.split("\\."));
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String layer = sources.relativize(file).getName(0).toString();
                Matcher used = anImport.matcher(Files.readString(file));
                while (used.find()) {
                    String target = used.group(1);
                    if (!target.equals(layer) && !allowed.getOrDefault(layer, Set.of()).contains(target)) {
                        violations.add(sources.relativize(file) + " imports from " + target);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theTableNamesEveryPackage() throws IOException {
        Set<String> packages = new TreeSet<>();
        classes.forEach(type -> {
            String name = type.getPackageName();
            if (name.startsWith(ROOT + ".")) {
                packages.add(name.substring(ROOT.length() + 1).split("\\.")[0]);
            }
        });
        assertThat(allowedDependencies().keySet()).containsExactlyInAnyOrderElementsOf(packages);
    }

    @Test
    void coreIsALeafAndAppIsOnTop() throws IOException {
        Map<String, Set<String>> allowed = allowedDependencies();
        assertThat(allowed.get("core")).isEmpty();
        allowed.forEach((layer, uses) -> assertThat(uses).as(layer).doesNotContain("app"));
    }

    /** The rows of docs/architecture.md's table: | `package` | `a`, `b` |, or a dash for none. */
    static Map<String, Set<String>> allowedDependencies() throws IOException {
        String page = Files.readString(Path.of("docs/architecture.md"));
        int start = page.indexOf("## Allowed dependencies");
        assertThat(start).as("docs/architecture.md has its section \"Allowed dependencies\"").isNotNegative();
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `(\\w+)` \\| ([^|]*) \\|").matcher(page.substring(start));
        while (row.find()) {
            Set<String> uses = new TreeSet<>();
            Matcher used = Pattern.compile("`(\\w+)`").matcher(row.group(2));
            while (used.find()) {
                uses.add(used.group(1));
            }
            allowed.put(row.group(1), uses);
        }
        return allowed;
    }
}
