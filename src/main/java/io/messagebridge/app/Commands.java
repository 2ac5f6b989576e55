package io.messagebridge.app;

import io.messagebridge.cli.UsageException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The commands that run instead of the bridge, {@code java -jar rabbitmq-kafka-bridge.jar <command> ...}, and exit:
 * 0 when done; 1 when done with an outcome the command names (a problem in a route file, a message RabbitMQ
 * returned); 2 when not done: an unknown command or a bad use of one (the usage follows), or a failure, said in one
 * line as at start-up.
 */
final class Commands {

    static final int NOT_DONE = 2;
    private static final String JAR = "java -jar rabbitmq-kafka-bridge.jar";

    /** One form of a command: its words after the jar, and what it does. */
    record Usage(String syntax, String purpose) {
    }

    @FunctionalInterface
    interface Action {
        int run(List<String> arguments) throws Exception;
    }

    private record Command(String name, List<Usage> usages, Action action) {
    }

    private static final List<Command> ALL = List.of(
            new Command("send", SendCommand.USAGE, SendCommand::run),
            new Command("tail", TailCommand.USAGE, TailCommand::run),
            new Command("replay", ReplayCommand.USAGE, ReplayCommand::run),
            new Command("replay-range", ReplayRangeCommand.USAGE, ReplayRangeCommand::run),
            new Command("validate", ValidateCommand.USAGE, ValidateCommand::run));

    private static final Usage BRIDGE = new Usage("(no command)", "runs the bridge; camel-main's options (-h) go here");
    private static final Usage HELP = new Usage("help", "lists these commands");
    private static final Usage DEV = new Usage(DevBrokers.PROFILE, "runs the bridge in the dev profile: route files "
            + "reload, and a Kafka of its own starts when none answers on this machine");

    private Commands() {
    }

    static int run(String name, List<String> arguments) {
        if (name.equals("help")) {
            System.out.print(list());
            return 0;
        }
        Command command = ALL.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (command == null) {
            System.err.println("unknown command '" + name + "'");
            System.err.print(list());
            return NOT_DONE;
        }
        // a command's output is its result; the clients' warnings (for validate, Camel's start-up lines) would bury it
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.ERROR);
        try {
            return command.action().run(arguments);
        } catch (UsageException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.print(usage(command));
            return NOT_DONE;
        } catch (Exception e) {
            System.err.println(name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1) + " failed: "
                    + StartupFailure.describe(e));
            return NOT_DONE;
        }
    }

    /** Whether the first word of a command line names something the jar does (a command, dev or help). */
    static boolean exists(String name) {
        return name.equals(HELP.syntax()) || name.equals(DEV.syntax()) || ALL.stream().anyMatch(c -> c.name().equals(name));
    }

    /** Every command, a line for each of its forms. */
    static String list() {
        List<Usage> all = Stream.concat(Stream.of(BRIDGE, DEV, HELP), ALL.stream().flatMap(c -> c.usages().stream())).toList();
        int width = all.stream().mapToInt(u -> u.syntax().length()).max().orElseThrow();
        StringBuilder list = new StringBuilder("usage: " + JAR + " [command]" + System.lineSeparator());
        for (Usage usage : all) {
            list.append(String.format(Locale.ROOT, "  %-" + width + "s   %s%n", usage.syntax(), usage.purpose()));
        }
        return list.toString();
    }

    private static String usage(Command command) {
        StringBuilder usage = new StringBuilder();
        for (Usage form : command.usages()) {
            usage.append(usage.length() == 0 ? "usage: " : "       ").append(JAR).append(' ').append(form.syntax())
                    .append(System.lineSeparator());
        }
        return usage.toString();
    }
}
