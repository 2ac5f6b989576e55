package io.messagebridge.app;

import io.messagebridge.config.BrokerConfiguration;
import io.messagebridge.errors.BridgeErrorHandling;
import io.messagebridge.errors.DeadLetterRoute;
import io.messagebridge.routes.OrdersToKafkaRoute;
import io.messagebridge.routes.ShipmentsToRabbitMqRoute;
import org.apache.camel.main.Main;

/**
 * The camel-main entry point. Configuration comes from the built-in defaults inside the jar, then
 * ./application.properties in the working directory, then environment variables (which override both).
 */
public final class Application {

    /** Later locations override earlier ones, so the working directory's file wins over the built-in defaults. */
    static final String PROPERTIES_LOCATIONS =
            "classpath:application.properties;optional=true,file:application.properties;optional=true";

    private Application() {
    }

    public static void main(String[] args) {
        Main main = create();
        try {
            main.run(args);
        } catch (Exception e) {
            StartupFailure.report(e);
            System.exit(2);
        }
        if (main.getExitCode() != 0) {
            System.exit(main.getExitCode());
        }
    }

    public static Main create() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(PROPERTIES_LOCATIONS);
        main.configure().addConfiguration(BrokerConfiguration.class);
        main.configure().addRoutesBuilder(BridgeErrorHandling.class);
        main.configure().addRoutesBuilder(DeadLetterRoute.class);
        main.configure().addRoutesBuilder(OrdersToKafkaRoute.class);
        main.configure().addRoutesBuilder(ShipmentsToRabbitMqRoute.class);
        return main;
    }
}
