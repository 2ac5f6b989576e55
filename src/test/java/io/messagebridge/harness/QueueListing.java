package io.messagebridge.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** What the local RabbitMQ holds, as {@code rabbitmqctl} lists it: for tests that check what the application declared. */
public final class QueueListing {

    private QueueListing() {
    }

    /** Queues that are not durable, or are auto-delete or exclusive: nothing a bridge should leave on a broker. */
    public static Set<String> nonDurableQueues() {
        return rows("list_queues", "name", "durable", "auto_delete", "exclusive").stream()
                .filter(row -> !row[1].equals("true") || row[2].equals("true") || row[3].equals("true"))
                .map(row -> row[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The queues bound to an exchange. */
    public static Set<String> queuesBoundTo(String exchange) {
        return rows("list_bindings", "source_name", "destination_name", "destination_kind").stream()
                .filter(row -> row[0].equals(exchange) && row[2].equals("queue"))
                .map(row -> row[1])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String[]> rows(String command, String... columns) {
        List<String> arguments = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q", command));
        arguments.addAll(Arrays.asList(columns));
        arguments.add("--no-table-headers");
        try {
            Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + command + " failed: " + output);
            }
            return output.lines().filter(line -> !line.isBlank()).map(line -> line.split("\t"))
                    .filter(row -> row.length == columns.length).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
