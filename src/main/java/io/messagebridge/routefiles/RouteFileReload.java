package io.messagebridge.routefiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.util.AntPathMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of route files that is safe for a running bridge. camel-main's {@code camel.main.routes-reload-*} keys
 * turn the file watcher on and say which folder and files it watches; this replaces what it does on a change, which
 * by default stops and reloads every route (and all of them stay down if the file is broken):
 * <ul>
 * <li>a new, changed or deleted file affects that file's routes only; the others, and the Java routes, keep running;</li>
 * <li>a changed file is first checked offline ({@link RouteFileCheck}: YAML, EIPs, endpoints, template parameters,
 * placeholders, route ids); a broken one is rejected with one line per problem, {@code file:line: message}, and the
 * routes it had before keep running;</li>
 * <li>old routes are stopped gracefully before their replacements start: consumers stop taking messages, those in
 * flight finish and are acked or committed, and what was not taken stays at its source for the new routes.</li>
 * </ul>
 */
public final class RouteFileReload extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReload.class);

    private final String propertiesLocations;
    private final Supplier<List<RoutesBuilder>> javaRoutes;
    /** Per file (absolute path): the route ids it made and the content they were made from. */
    private final Map<Path, Set<String>> routesOf = new HashMap<>();
    private final Map<Path, String> loaded = new HashMap<>();
    private CamelContext context;

    public RouteFileReload(String propertiesLocations, Supplier<List<RoutesBuilder>> javaRoutes) {
        this.propertiesLocations = propertiesLocations;
        this.javaRoutes = javaRoutes;
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        context = main.getCamelContext();
        RouteWatcherReloadStrategy watcher = context.hasService(RouteWatcherReloadStrategy.class);
        if (watcher == null) {
            return;
        }
        // what each file makes, as the application is about to load it
        Path folder = Path.of(watcher.getFolder()).toAbsolutePath().normalize();
        try (RouteFileCheck check = RouteFileCheck.create(propertiesLocations, javaRoutes.get());
             Stream<Path> files = Files.list(folder)) {
            String[] patterns = (watcher.getPattern() == null ? "*.yaml" : watcher.getPattern()).split(",");
            for (Path file : files.filter(f -> watched(f, patterns)).sorted().toList()) {
                routesOf.put(file, check.check(file).routeIds());
                loaded.put(file, Files.readString(file));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the route files in " + folder + " for hot reload", e);
        }
        watcher.setResourceReload((name, resource) -> reload(Path.of(name).toAbsolutePath().normalize(), resource));
        LOG.info("Hot reload of route files in {} is on: a changed file is checked first, a broken one is rejected", folder);
    }

    private static boolean watched(Path file, String[] patterns) {
        return Arrays.stream(patterns).anyMatch(p -> AntPathMatcher.INSTANCE.match(p.trim(), file.getFileName().toString()));
    }

    synchronized void reload(Path file, Resource resource) throws Exception {
        String content = Files.exists(file) ? Files.readString(file) : null;
        if (content != null && content.equals(loaded.get(file))) {
            return;
        }
        Set<String> before = routesOf.getOrDefault(file, Set.of());
        Set<String> after = Set.of();
        if (content != null) {
            RouteFileCheck.Result result = check(file);
            if (!result.ok()) {
                result.problems().forEach(p -> LOG.error("Route file rejected, its previous routes keep running: {}", p));
                return;
            }
            after = result.routeIds();
            Set<String> taken = runningRouteIds();
            taken.removeAll(before);
            taken.retainAll(after);
            if (!taken.isEmpty()) {
                String id = taken.iterator().next();
                LOG.error("Route file rejected, its previous routes keep running: {}", new RouteFileProblem(file,
                        RouteFileCheck.lineOf(file, id), "route id " + id + " is already used by another route file"));
                return;
            }
        }
        List<RouteDefinition> previous = stopAndRemove(before);
        if (content != null) {
            try {
                load(resource, after);
            } catch (Exception e) {
                LOG.error("Route file rejected, its previous routes are restored: {}:1: {}", file, e.getMessage());
                stopAndRemove(after);
                restore(previous);
                return;
            }
            routesOf.put(file, after);
            loaded.put(file, content);
            LOG.info("Reloaded {}: routes {} (before: {})", file, after, before);
        } else {
            routesOf.remove(file);
            loaded.remove(file);
            LOG.info("Route file {} deleted: removed its routes {}", file, before);
        }
    }

    private RouteFileCheck.Result check(Path file) throws Exception {
        try (RouteFileCheck check = RouteFileCheck.create(propertiesLocations, javaRoutes.get())) {
            return check.check(file);
        }
    }

    private Set<String> runningRouteIds() {
        Set<String> ids = new HashSet<>();
        context.getRoutes().forEach(r -> ids.add(r.getRouteId()));
        return ids;
    }

    /** Routes that consume from a broker stop first, so nothing is handed to a route that is already gone. */
    private List<RouteDefinition> stopAndRemove(Set<String> routeIds) throws Exception {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<String> order = new ArrayList<>(routeIds);
        order.sort((a, b) -> Boolean.compare(internal(a), internal(b)));
        List<RouteDefinition> removed = new ArrayList<>();
        for (String id : order) {
            RouteDefinition definition = model.getRouteDefinition(id);
            if (context.getRoute(id) != null) {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            }
            if (definition != null) {
                model.removeRouteDefinition(definition);
                removed.add(definition);
            }
        }
        return removed;
    }

    private boolean internal(String routeId) {
        Route route = context.getRoute(routeId);
        String uri = route == null ? "" : route.getEndpoint().getEndpointUri();
        return uri.startsWith("direct:") || uri.startsWith("seda:");
    }

    private void load(Resource resource, Set<String> routeIds) throws Exception {
        Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource);
        for (RoutesBuilder builder : builders) {
            context.addRoutes(builder);
        }
        for (RoutesBuilder builder : builders) {
            builder.addTemplatedRoutesToCamelContext(context);
        }
        startAll(routeIds);
    }

    private void restore(List<RouteDefinition> previous) throws Exception {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        model.addRouteDefinitions(previous);
        Set<String> ids = new HashSet<>();
        previous.forEach(d -> ids.add(d.getRouteId()));
        startAll(ids);
    }

    private void startAll(Set<String> routeIds) throws Exception {
        for (String id : routeIds) {
            if (context.getRouteController().getRouteStatus(id) != ServiceStatus.Started) {
                context.getRouteController().startRoute(id);
            }
        }
    }
}
