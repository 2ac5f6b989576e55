package io.messagebridge.routefiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.messagebridge.core.RootCause;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.ObjectHelper;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Checks route files the way the application would load them, without connecting to anything: each file is parsed,
 * its templated routes are made from their templates, its placeholders resolved and its routes created (endpoints,
 * EIPs, beans, route ids) in an {@link OfflineContext} next to the application's own Java routes and the files
 * checked before it. A file that fails leaves nothing behind.
 */
public final class RouteFileCheck implements AutoCloseable {

    private static final Pattern STEP = Pattern.compile(">>> (\\w+)\\[(.*?)\\] <<<");
    private static final Pattern URI = Pattern.compile("([\\w+-]+)://([^\\s,?]+)");
    /** Names in Camel's messages: template ids, route ids, property keys (they have a dash or a dot in them). */
    private static final Pattern NAME = Pattern.compile("[\\w{}]+(?:[-.][\\w{}]+)+");

    private final DefaultCamelContext context;

    private RouteFileCheck(DefaultCamelContext context) {
        this.context = context;
    }

    public static RouteFileCheck create(String propertiesLocations, List<RoutesBuilder> javaRoutes) throws Exception {
        DefaultCamelContext context = OfflineContext.create(propertiesLocations, new Properties(), javaRoutes);
        context.start();
        return new RouteFileCheck(context);
    }

    /** The context the checked files' routes were added to: what they define can be read from its model. */
    public DefaultCamelContext context() {
        return context;
    }

    /** What a file defines (its route ids, templated ones included), or why it cannot be loaded. */
    public record Result(Set<String> routeIds, List<RouteFileProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Result check(Path file) {
        Set<String> before = routeIds();
        try {
            Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(
                    ResourceHelper.resolveMandatoryResource(context, "file:" + file.toAbsolutePath()));
            for (String id : declaredRouteIds(builders)) {
                if (before.contains(id)) {
                    return new Result(Set.of(), List.of(new RouteFileProblem(file, lineOf(lines(file), id),
                            "route id " + id + " is already used by another route file or a Java route")));
                }
            }
            for (RoutesBuilder builder : builders) {
                if (builder instanceof RouteConfigurationsBuilder configurations) {
                    configurations.addRouteConfigurationsToCamelContext(context);
                }
            }
            for (RoutesBuilder builder : builders) {
                context.addRoutes(builder);
            }
            for (RoutesBuilder builder : builders) {
                builder.addTemplatedRoutesToCamelContext(context);
            }
            Set<String> added = routeIds();
            added.removeAll(before);
            return new Result(added, List.of());
        } catch (Exception e) {
            RouteFileProblem problem = describe(file, e);
            Set<String> added = routeIds();
            added.removeAll(before);
            removeRoutes(added);
            return new Result(Set.of(), List.of(problem));
        }
    }

    /** The ids a file's routes and templated routes ask for (Camel would silently replace a route with the same id). */
    private Set<String> declaredRouteIds(Collection<RoutesBuilder> builders) throws Exception {
        Set<String> ids = new LinkedHashSet<>();
        for (RoutesBuilder builder : builders) {
            if (builder instanceof RouteBuilder routes) {
                routes.configureRoutes(context);
                routes.getRouteCollection().getRoutes().forEach(r -> ids.add(r.getRouteId()));
                routes.getTemplatedRouteCollection().getTemplatedRoutes().forEach(t -> ids.add(t.getRouteId()));
            }
        }
        ids.remove(null);
        return ids;
    }

    /** Forgets what a file that failed had added, so the files checked after it are not judged against it. */
    private void removeRoutes(Set<String> routeIds) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (String id : routeIds) {
            try {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
                RouteDefinition definition = model.getRouteDefinition(id);
                if (definition != null) {
                    model.removeRouteDefinition(definition);
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not remove route " + id + " from the check", e);
            }
        }
    }

    private Set<String> routeIds() {
        Set<String> ids = new LinkedHashSet<>();
        context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()
                .forEach(r -> ids.add(r.getRouteId()));
        return ids;
    }

    private RouteFileProblem describe(Path file, Exception failure) {
        MarkedYamlEngineException yaml = ObjectHelper.getException(MarkedYamlEngineException.class, failure);
        if (yaml != null) {
            int line = yaml.getProblemMark().map(mark -> mark.getLine() + 1)
                    .or(() -> yaml.getContextMark().map(mark -> mark.getLine() + 1)).orElse(1);
            String problem = yaml.getProblem() != null ? yaml.getProblem() : firstLine(yaml.getMessage());
            return new RouteFileProblem(file, line, firstLine(problem));
        }
        List<String> lines = lines(file);
        FailedToCreateRouteException route = ObjectHelper.getException(FailedToCreateRouteException.class, failure);
        String message = rootMessage(failure);
        if (route != null) {
            Matcher step = STEP.matcher(route.getMessage());
            int line = lineOf(lines, route.getRouteId());
            if (step.find()) {
                line = lineOf(lines, step.group(2), line);
                message = "route " + route.getRouteId() + ", " + step.group(1) + " " + step.group(2) + ": " + message;
            } else {
                // the route's own endpoint, named in the message as scheme://path
                Matcher uri = URI.matcher(message);
                if (uri.find()) {
                    line = lineOf(lines, uri.group(1) + ":" + uri.group(2), line);
                }
                message = "route " + route.getRouteId() + ": " + message;
            }
            return new RouteFileProblem(file, line, message);
        }
        // a template parameter that is missing, a placeholder not found: the line of the first name it mentions
        Matcher name = NAME.matcher(message);
        int line = 0;
        while (line == 0 && name.find()) {
            line = lineOf(lines, name.group(), 0);
        }
        return new RouteFileProblem(file, Math.max(line, 1), message);
    }

    private static int lineOf(List<String> lines, String text) {
        return Math.max(lineOf(lines, text, 1), 1);
    }

    /** The first line of the file that mentions the text (1 if none does). */
    static int lineOf(Path file, String text) {
        return lineOf(lines(file), text);
    }

    /** The first line (1-based) that contains the text, or {@code otherwise}. */
    private static int lineOf(List<String> lines, String text, int otherwise) {
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.trim().startsWith("#") && line.contains(text)) {
                return i + 1;
            }
        }
        return otherwise;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rootMessage(Throwable failure) {
        return firstLine(RootCause.message(failure));
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    @Override
    public void close() {
        context.stop();
    }
}
