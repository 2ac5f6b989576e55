package io.messagebridge.app;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import io.messagebridge.bridge.BridgeTemplates;
import io.messagebridge.config.BrokerConfiguration;
import io.messagebridge.config.KafkaTopics;
import io.messagebridge.errors.BridgeErrorHandling;
import io.messagebridge.errors.DeadLetterRoute;
import io.messagebridge.management.ManagementConfiguration;
import io.messagebridge.routefiles.RouteFileReload;
import io.messagebridge.routes.OrdersToKafkaRoute;
import io.messagebridge.routes.ShipmentNotificationsRoute;
import io.messagebridge.routes.ShipmentsToRabbitMqRoute;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.main.Main;
import sun.misc.Signal;

/**
 * The camel-main entry point. Configuration comes from the built-in defaults inside the jar, then
 * ./application.properties in the working directory, then environment variables (which override both).
 */
public final class Application {

    /** Camel takes a key from the first location that has it: the working directory's file, then the built-in one. */
    private static final String PROPERTIES_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";
    /** A properties file with credentials (a Docker or Kubernetes secret), read before all the others. */
    static final String SECRETS_FILE_VARIABLE = "BRIDGE_SECRETS_FILE";

    static String propertiesLocations() {
        String secrets = System.getenv(SECRETS_FILE_VARIABLE);
        return secrets == null || secrets.isBlank() ? PROPERTIES_LOCATIONS : "file:" + secrets + "," + PROPERTIES_LOCATIONS;
    }

    private Application() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("replay")) {
            System.exit(command("Replay", () -> ReplayCommand.run(args)));
        }
        if (args.length > 0 && args[0].equals("validate")) {
            System.exit(command("Validate", () -> ValidateCommand.run(args)));
        }
        if (args.length > 0 && args[0].equals("dev")) {
            // the application as below, in the dev profile (DevBrokers); camel-main would refuse the word "dev"
            System.setProperty("camel.main.profile", DevBrokers.PROFILE);
            main(Arrays.copyOfRange(args, 1, args.length));
        }
        Main main = create();
        stopGracefullyOn(main, "TERM", "INT");
        int exitCode;
        try {
            exitCode = main.run(args);
        } catch (Exception e) {
            StartupFailure.report(e);
            exitCode = 2;
        }
        System.exit(exitCode);
    }

    /** A command that runs and exits: its failure is one line, as at start-up. */
    private static int command(String name, Callable<Integer> command) {
        try {
            return command.call();
        } catch (Exception e) {
            System.err.println(name + " failed: " + StartupFailure.describe(e));
            return 2;
        }
    }

    /** The Java DSL flows (the validate command checks route files against them too). */
    static List<RoutesBuilder> flows() {
        return List.of(new OrdersToKafkaRoute(), new ShipmentsToRabbitMqRoute(), new ShipmentNotificationsRoute());
    }

    public static Main create() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(propertiesLocations());
        main.configure().addConfiguration(BrokerConfiguration.class);
        main.configure().addConfiguration(ManagementConfiguration.class);
        main.configure().addRoutesBuilder(BridgeErrorHandling.class);
        main.configure().addRoutesBuilder(DeadLetterRoute.class);
        main.configure().addRoutesBuilder(BridgeTemplates.class);
        flows().forEach(main.configure()::addRoutesBuilder);
        main.addMainListener(new RouteFileReload(propertiesLocations(), Application::flows));
        main.addMainListener(new DevBrokers());
        // the topics of all those routes exist, each partition led, before any of them starts
        main.addMainListener(new KafkaTopics());
        return main;
    }

    /**
     * SIGTERM and Ctrl+C stop Camel the orderly way (consumers first, in-flight messages completed, acked and
     * committed, within camel.main.shutdown-timeout) before the JVM begins to exit, so logging still works and the
     * process exits 0, as service managers expect of a clean stop.
     */
    private static void stopGracefullyOn(Main main, String... signals) {
        for (String signal : signals) {
            Signal.handle(new Signal(signal), received -> main.completed());
        }
    }
}
