package io.messagebridge.replay;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.messagebridge.cli.CommandArguments;
import io.messagebridge.cli.UsageException;

/**
 * What a replay of a topic's history is asked to do, from the words after {@code replay-range} (the command line, or
 * the JMX operation's one string): {@code topic <topic> --from <bound> [--to <bound>] --into exchange|topic <name>
 * [--routing-key <pattern> | --route <route id>] [--max-rate <records/s>] [--dry-run]}. A bound is an ISO-8601 time,
 * {@code earliest} (from only), or an offset per partition ({@code 0:120,1:98}: how a stopped replay resumes). Wrong
 * words are {@link UsageException}s that say which.
 */
public record ReplayOptions(String topic, Bound from, Bound to, Target target, String routingKey, String route,
                            int maxRate, boolean dryRun) {

    static final String FROM = "--from";
    static final String TO = "--to";
    static final String INTO = "--into";
    static final String ROUTING_KEY = "--routing-key";
    static final String ROUTE = "--route";
    static final String MAX_RATE = "--max-rate";
    static final String DRY_RUN = "--dry-run";
    private static final Pattern OFFSETS = Pattern.compile("\\d+:\\d+(,\\d+:\\d+)*");

    /** Where a range starts or ends. */
    public sealed interface Bound permits Earliest, At, Offsets {
    }

    /** The oldest record each partition still has. */
    public record Earliest() implements Bound {
        @Override
        public String toString() {
            return "earliest";
        }
    }

    /** The first record with a timestamp at or after this time (a range ends before it). */
    public record At(Instant time) implements Bound {
        @Override
        public String toString() {
            return time.toString();
        }
    }

    /** This offset in each partition (a range ends before it); the partitions are the topic's, every one of them. */
    public record Offsets(Map<Integer, Long> byPartition) implements Bound {
        public Offsets {
            byPartition = Map.copyOf(byPartition);
        }

        @Override
        public String toString() {
            return format(byPartition);
        }
    }

    /** Where the records go: a RabbitMQ exchange or a Kafka topic. */
    public record Target(boolean exchange, String name) {
        @Override
        public String toString() {
            return (exchange ? "exchange " : "topic ") + name;
        }
    }

    /** The options of a command line ({@code topic <topic> --from ...}). */
    public static ReplayOptions parse(List<String> words) {
        CommandArguments.form(words, "topic");
        List<String> rest = new ArrayList<>(words.subList(1, words.size()));
        Target target = into(rest);
        CommandArguments args = CommandArguments.parse(rest, Set.of(DRY_RUN),
                Set.of(FROM, TO, ROUTING_KEY, ROUTE, MAX_RATE));
        String topic = args.positional(0, "<topic>");
        args.noMoreThan(1);
        String fromWord = args.value(FROM, null);
        if (fromWord == null) {
            throw new UsageException("missing " + FROM + " (a time such as 2026-11-01T00:00Z, or earliest)");
        }
        Bound from = bound(FROM, fromWord, true);
        String toWord = args.value(TO, null);
        Bound to = toWord == null ? null : bound(TO, toWord, false);
        if (from instanceof At start && to instanceof At end && !start.time().isBefore(end.time())) {
            throw new UsageException(FROM + " " + start + " is not before " + TO + " " + end);
        }
        if (target == null) {
            throw new UsageException("missing " + INTO + " exchange|topic <name>");
        }
        String routingKey = args.value(ROUTING_KEY, null);
        String route = args.value(ROUTE, null);
        if (target.exchange() && (routingKey == null) == (route == null)) {
            throw new UsageException("into an exchange, give either " + ROUTING_KEY + " <pattern> or " + ROUTE
                    + " <route id> (whose routing key it then takes)");
        }
        if (!target.exchange() && (routingKey != null || route != null)) {
            throw new UsageException(ROUTING_KEY + " and " + ROUTE + " are for an exchange; into a topic the records "
                    + "keep their keys");
        }
        if (!target.exchange() && target.name().equals(topic)) {
            throw new UsageException("a topic's history cannot be replayed into the topic itself");
        }
        return new ReplayOptions(topic, from, to, target, routingKey, route, maxRate(args.value(MAX_RATE, "0")),
                args.flag(DRY_RUN));
    }

    /** These options with the range narrowed to these offsets: what resumes a replay that stopped there. */
    public ReplayOptions resumingAt(Map<Integer, Long> next, Map<Integer, Long> ends) {
        return new ReplayOptions(topic, new Offsets(next), new Offsets(ends), target, routingKey, route, maxRate, false);
    }

    /** The words that ask for these options again (after {@code replay-range}). */
    public List<String> words() {
        List<String> words = new ArrayList<>(List.of("topic", topic, FROM, from.toString()));
        if (to != null) {
            words.addAll(List.of(TO, to.toString()));
        }
        words.addAll(List.of(INTO, target.exchange() ? "exchange" : "topic", target.name()));
        if (routingKey != null) {
            words.addAll(List.of(ROUTING_KEY, routingKey));
        }
        if (route != null) {
            words.addAll(List.of(ROUTE, route));
        }
        if (maxRate > 0) {
            words.addAll(List.of(MAX_RATE, Integer.toString(maxRate)));
        }
        if (dryRun) {
            words.add(DRY_RUN);
        }
        return words;
    }

    static String format(Map<Integer, Long> offsets) {
        return new TreeMap<>(offsets).entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** {@code --into exchange|topic <name>}: two words, which the option parser does not take, so they are taken first. */
    private static Target into(List<String> words) {
        int at = words.indexOf(INTO);
        if (at < 0) {
            return null;
        }
        if (at + 2 >= words.size()) {
            throw new UsageException(INTO + " needs exchange|topic and a name");
        }
        String kind = words.get(at + 1);
        if (!kind.equals("exchange") && !kind.equals("topic")) {
            throw new UsageException(INTO + " takes exchange|topic and a name, not '" + kind + "'");
        }
        Target target = new Target(kind.equals("exchange"), words.get(at + 2));
        words.subList(at, at + 3).clear();
        if (words.contains(INTO)) {
            throw new UsageException(INTO + " given twice");
        }
        return target;
    }

    private static Bound bound(String option, String word, boolean start) {
        if (start && word.equals("earliest")) {
            return new Earliest();
        }
        if (OFFSETS.matcher(word).matches()) {
            Map<Integer, Long> offsets = new TreeMap<>();
            for (String pair : word.split(",")) {
                String[] parts = pair.split(":");
                try {
                    if (offsets.put(Integer.valueOf(parts[0]), Long.valueOf(parts[1])) != null) {
                        throw new UsageException(option + " names partition " + parts[0] + " twice");
                    }
                } catch (NumberFormatException e) {
                    throw new UsageException(option + ": '" + pair + "' is not <partition>:<offset>");
                }
            }
            return new Offsets(offsets);
        }
        try {
            return new At(OffsetDateTime.parse(word).toInstant());
        } catch (DateTimeParseException notATime) {
            try {
                return new At(LocalDate.parse(word).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException notADate) {
                throw new UsageException(option + " takes an ISO-8601 time such as 2026-11-01T00:00Z"
                        + (start ? ", earliest" : "") + " or offsets such as 0:120,1:98, not '" + word + "'");
            }
        }
    }

    private static int maxRate(String word) {
        try {
            int rate = Integer.parseInt(word);
            if (rate >= 0) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageException(MAX_RATE + " takes records per second, a whole number, not '" + word + "'");
    }
}
