package io.messagebridge.app;

import java.util.Arrays;
import java.util.List;

import io.messagebridge.assembly.BridgeAssembly;
import io.messagebridge.assembly.BrokerConfiguration;
import io.messagebridge.assembly.KafkaTopics;
import io.messagebridge.config.Settings;
import io.messagebridge.management.ManagementConfiguration;
import io.messagebridge.routefiles.RouteFileReload;
import io.messagebridge.routes.OrdersToKafkaRoute;
import io.messagebridge.routes.ShipmentNotificationsRoute;
import io.messagebridge.routes.ShipmentsToRabbitMqRoute;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import sun.misc.Signal;

/**
 * The camel-main entry point: runs the bridge, or with a command as its first argument that command ({@link Commands}).
 * Configuration comes from the built-in defaults inside the jar, then ./application.properties in the working
 * directory, then environment variables (which override both).
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
        if (args.length > 0 && args[0].equals(DevBrokers.PROFILE)) {
            // the application as below, in the dev profile (DevBrokers); camel-main would refuse the word "dev"
            System.setProperty("camel.main.profile", DevBrokers.PROFILE);
            main(Arrays.copyOfRange(args, 1, args.length));
        }
        // camel-main's own options start with '-' (mvn camel:run passes some); any other first word names a command
        if (args.length > 0 && !args[0].startsWith("-")) {
            System.exit(Commands.run(args[0], List.of(args).subList(1, args.length)));
        }
        Main main = create();
        onStopSignal(main::completed);
        int exitCode;
        try {
            exitCode = main.run(args);
        } catch (Exception e) {
            StartupFailure.report(e);
            exitCode = 2;
        }
        System.exit(exitCode);
    }

    /** The settings as the application reads them, for a command that starts no routes and so has nothing to stop. */
    static Settings settings() {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation(propertiesLocations());
        return Settings.of(context);
    }

    /** The Java DSL flows (the validate command checks route files against them too). */
    static List<RoutesBuilder> flows() {
        return List.of(new OrdersToKafkaRoute(), new ShipmentsToRabbitMqRoute(), new ShipmentNotificationsRoute());
    }

    public static Main create() {
        Main main = new Main() {
            // camel-main's help (-h, or an option it does not know) names the commands too
            @Override
            public void showOptionsHeader() {
                System.out.println(Commands.list());
                super.showOptionsHeader();
            }
        };
        main.setDefaultPropertyPlaceholderLocation(propertiesLocations());
        main.configure().addConfiguration(BrokerConfiguration.class);
        main.configure().addConfiguration(ManagementConfiguration.class);
        BridgeAssembly.routes().forEach(main.configure()::addRoutesBuilder);
        flows().forEach(main.configure()::addRoutesBuilder);
        main.addMainListener(new RouteFileReload(propertiesLocations(), Application::flows));
        main.addMainListener(new DevBrokers());
        // the topics of all those routes exist, each partition led, before any of them starts
        main.addMainListener(new KafkaTopics());
        return main;
    }

    /**
     * SIGTERM and Ctrl+C call {@code stop} instead of beginning the JVM's exit. For the bridge, Camel then stops the
     * orderly way (consumers first, in-flight messages completed, acked and committed, within
     * camel.main.shutdown-timeout) before the JVM begins to exit, so logging still works and the process exits 0, as
     * service managers expect of a clean stop; a command that runs until stopped (tail) ends the same way.
     */
    static void onStopSignal(Runnable stop) {
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> stop.run());
        }
    }
}
