package io.messagebridge.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import io.messagebridge.cli.UsageException;
import io.messagebridge.cli.CommandArguments;
import io.messagebridge.routefiles.RouteFileCheck;
import io.messagebridge.routefiles.RouteFileProblem;

/**
 * {@code validate [folder]}: checks every route file in the folder ({@code routes} by default) as the application
 * would load it, with the same configuration (application.properties, the environment), and prints each problem as
 * {@code file:line: message}. Connects to no broker. Exits 0 when every file is good, 1 otherwise.
 */
final class ValidateCommand {

    static final List<Commands.Usage> USAGE = List.of(new Commands.Usage(
            "validate [routes folder]", "checks the route files as the bridge would load them; connects to no broker"));

    private ValidateCommand() {
    }

    static int run(List<String> words) throws Exception {
        CommandArguments args = CommandArguments.parse(words, Set.of(), Set.of());
        Path folder = Path.of(args.optional(0, "routes"));
        args.noMoreThan(1);
        if (!Files.isDirectory(folder)) {
            throw new UsageException("no folder " + folder.toAbsolutePath());
        }
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

    static List<Path> routeFiles(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
