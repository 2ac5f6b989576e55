package io.messagebridge.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.messagebridge.routefiles.RouteFileCheck;
import io.messagebridge.routefiles.RouteFileProblem;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code validate [folder]}: checks every route file in the folder ({@code routes} by default) as the application
 * would load it, with the same configuration (application.properties, the environment), and prints each problem as
 * {@code file:line: message}. Connects to no broker. Exits 0 when every file is good, 1 otherwise.
 */
final class ValidateCommand {

    static final String USAGE = "usage: java -jar rabbitmq-kafka-bridge.jar validate [routes folder]";

    private ValidateCommand() {
    }

    static int run(String[] args) throws Exception {
        if (args.length > 2) {
            System.err.println(USAGE);
            return 64;
        }
        Path folder = Path.of(args.length == 2 ? args[1] : "routes");
        if (!Files.isDirectory(folder)) {
            System.err.println("validate: no folder " + folder.toAbsolutePath() + "; " + USAGE);
            return 64;
        }
        // Camel's start-up lines would bury the result
        Configurator.setRootLevel(Level.ERROR);
        List<Path> files = routeFiles(folder);
        List<RouteFileProblem> problems = new ArrayList<>();
        try (RouteFileCheck check = RouteFileCheck.create(Application.propertiesLocations(), Application.flows())) {
            for (Path file : files) {
                problems.addAll(check.check(file).problems());
            }
        }
        problems.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%d route files checked in %s, %d %s%n", files.size(), folder,
                problems.size(), problems.size() == 1 ? "problem" : "problems");
        return problems.isEmpty() ? 0 : 1;
    }

    private static List<Path> routeFiles(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
