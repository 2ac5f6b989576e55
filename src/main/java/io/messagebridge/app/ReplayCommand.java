package io.messagebridge.app;

import java.util.Locale;

import io.messagebridge.config.Settings;
import io.messagebridge.errors.DeadLetterReplay;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * {@code replay queue|topic <source> [max]}: moves dead letters back to the source queue or topic they came from,
 * with the same configuration as the application (application.properties and the environment), then exits.
 */
final class ReplayCommand {

    static final String USAGE = "usage: java -jar rabbitmq-kafka-bridge.jar replay queue|topic <source queue or topic> [max]";

    private ReplayCommand() {
    }

    static int run(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4
                || !(args[1].equals("queue") || args[1].equals("topic"))) {
            System.err.println(USAGE);
            return 64;
        }
        String source = args[2];
        int max = args.length == 4 ? Integer.parseInt(args[3]) : Integer.MAX_VALUE;
        // only the properties component is used; the context is never started, so there is nothing to stop
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation(Application.propertiesLocations());
        DeadLetterReplay replay = DeadLetterReplay.from(
                Settings.of(context));
        boolean queue = args[1].equals("queue");
        String from = queue ? replay.deadLetterQueue(source) : replay.deadLetterTopic(source);
        int moved = queue ? replay.replayQueue(source, max) : replay.replayTopic(source, max);
        long left = queue ? replay.countQueue(source) : replay.countTopic(source);
        System.out.printf(Locale.ROOT, "Replayed %d dead letters from %s to %s (%d left)%n", moved, from, source, left);
        return 0;
    }
}
