package io.messagebridge.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The words after a command's name: positionals in order, and options anywhere among them, spelled {@code --name}
 * (a flag) or {@code --name VALUE} / {@code --name=VALUE}. {@code --} ends the options, so a positional may start
 * with {@code --}; {@code -} alone is a positional (stdin, by convention). An unknown option, a missing value, and a
 * missing or extra positional are {@link UsageException}s.
 */
public final class CommandArguments {

    private final List<String> positionals = new ArrayList<>();
    private final Set<String> flags = new HashSet<>();
    private final Map<String, String> values = new HashMap<>();

    private CommandArguments() {
    }

    /**
     * The first word, which must be one of {@code forms} ({@code send exchange|topic}): it decides what the other
     * words may be.
     */
    public static String form(List<String> words, String... forms) {
        String expected = String.join("|", forms);
        if (words.isEmpty()) {
            throw new UsageException("missing " + expected);
        }
        for (String form : forms) {
            if (form.equals(words.get(0))) {
                return form;
            }
        }
        throw new UsageException("expected " + expected + ", not '" + words.get(0) + "'");
    }

    public static CommandArguments parse(List<String> words, Set<String> flagNames, Set<String> valueNames) {
        CommandArguments parsed = new CommandArguments();
        boolean options = true;
        Iterator<String> remaining = words.iterator();
        while (remaining.hasNext()) {
            String word = remaining.next();
            if (!options || !word.startsWith("--")) {
                parsed.positionals.add(word);
            } else if (word.equals("--")) {
                options = false;
            } else {
                int equals = word.indexOf('=');
                String name = equals < 0 ? word : word.substring(0, equals);
                if (flagNames.contains(name)) {
                    if (equals >= 0) {
                        throw new UsageException(name + " takes no value");
                    }
                    parsed.flags.add(name);
                } else if (valueNames.contains(name)) {
                    if (equals < 0 && !remaining.hasNext()) {
                        throw new UsageException(name + " needs a value");
                    }
                    parsed.values.put(name, equals >= 0 ? word.substring(equals + 1) : remaining.next());
                } else {
                    throw new UsageException("unknown option " + name);
                }
            }
        }
        return parsed;
    }

    /** The positional at {@code index}; {@code name} is how the usage calls it, for when it is missing. */
    public String positional(int index, String name) {
        if (index >= positionals.size()) {
            throw new UsageException("missing " + name);
        }
        return positionals.get(index);
    }

    /** The positional at {@code index}, or {@code otherwise} when there are not that many. */
    public String optional(int index, String otherwise) {
        return index < positionals.size() ? positionals.get(index) : otherwise;
    }

    /** The positionals from {@code index} on, at least one. */
    public List<String> positionalsFrom(int index, String name) {
        positional(index, name);
        return List.copyOf(positionals.subList(index, positionals.size()));
    }

    /** Refuses a word more than the command takes, rather than leaving it unused without a word. */
    public void noMoreThan(int count) {
        if (positionals.size() > count) {
            throw new UsageException("unexpected argument '" + positionals.get(count) + "'");
        }
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public String value(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }
}
