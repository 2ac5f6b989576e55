package io.messagebridge.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.messagebridge.replay.ReplayCommandLine;
import io.messagebridge.replay.ReplayOptions;
import io.messagebridge.replay.RouteRoutingKeys;
import io.messagebridge.routefiles.RouteFileCheck;

/**
 * {@code replay-range topic <topic> --from ... --into ...}: sends a stretch of a topic's history to an exchange or a
 * topic with the application's configuration, then exits ({@link ReplayCommandLine}). {@code --route} names a route
 * of this application: its Java DSL flows and the files of {@code routes/}, loaded as validate loads them, offline.
 */
final class ReplayRangeCommand {

    static final List<Commands.Usage> USAGE = List.of(new Commands.Usage(ReplayOptions.SYNTAX, ReplayOptions.PURPOSE));

    private ReplayRangeCommand() {
    }

    static int run(List<String> words) throws Exception {
        return ReplayCommandLine.run(ReplayOptions.parse(words), Application.settings(),
                ReplayRangeCommand::routingKeyOf, Application::onStopSignal);
    }

    private static String routingKeyOf(String routeId) {
        try (RouteFileCheck routes = RouteFileCheck.create(Application.propertiesLocations(), Application.flows())) {
            Path folder = Path.of("routes");
            for (Path file : Files.isDirectory(folder) ? ValidateCommand.routeFiles(folder) : List.<Path>of()) {
                routes.check(file);
            }
            return RouteRoutingKeys.of(routes.context(), routeId);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not load the routes to find " + routeId + ": " + e.getMessage(), e);
        }
    }
}
