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

    static final List<Commands.Usage> USAGE = List.of(
            new Commands.Usage("replay-range topic <topic> --from <when> [--to <when>] --into topic <name>",
                    "sends a stretch of the topic's history (when: ISO-8601, earliest or offsets) to a topic, then "
                            + "stops; --dry-run, --max-rate <records/s>"),
            new Commands.Usage("replay-range ... --into exchange <name> --routing-key <pattern>|--route <id>",
                    "the same into an exchange, with a routing-key pattern or that of a route"));

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
