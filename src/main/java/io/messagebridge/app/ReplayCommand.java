package io.messagebridge.app;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.messagebridge.cli.UsageException;
import io.messagebridge.cli.CommandArguments;
import io.messagebridge.errors.DeadLetterReplay;

/**
 * {@code replay queue|topic <source> [max]}: moves dead letters back to the source queue or topic they came from,
 * with the same configuration as the application (application.properties and the environment), then exits.
 */
final class ReplayCommand {

    static final List<Commands.Usage> USAGE = List.of(new Commands.Usage(
            "replay queue|topic <source queue or topic> [max]", "moves dead letters back to their source, oldest first"));

    private ReplayCommand() {
    }

    static int run(List<String> words) throws Exception {
        boolean queue = CommandArguments.form(words, "queue", "topic").equals("queue");
        CommandArguments args = CommandArguments.parse(words.subList(1, words.size()), Set.of(), Set.of());
        String source = args.positional(0, "<source queue or topic>");
        int max = max(args.optional(1, null));
        args.noMoreThan(2);
        DeadLetterReplay replay = DeadLetterReplay.from(Application.settings());
        String from = queue ? replay.deadLetterQueue(source) : replay.deadLetterTopic(source);
        int moved = queue ? replay.replayQueue(source, max) : replay.replayTopic(source, max);
        long left = queue ? replay.countQueue(source) : replay.countTopic(source);
        System.out.printf(Locale.ROOT, "Replayed %d dead letters from %s to %s (%d left)%n", moved, from, source, left);
        return 0;
    }

    private static int max(String given) {
        if (given == null) {
            return Integer.MAX_VALUE;
        }
        try {
            return Integer.parseInt(given);
        } catch (NumberFormatException e) {
            throw new UsageException("[max] is a whole number, not '" + given + "'");
        }
    }
}
