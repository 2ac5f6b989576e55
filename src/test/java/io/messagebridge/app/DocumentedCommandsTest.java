package io.messagebridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.messagebridge.DocumentationTest;
import io.messagebridge.replay.ReplayOptions;
import org.junit.jupiter.api.Test;

/**
 * Every {@code java -jar target/rabbitmq-kafka-bridge.jar ...} line the README and docs/ show still runs: its command
 * exists, and a send, tail or replay-range takes its arguments as written (their runs against the brokers are SmokeCommandsIT's).
 */
class DocumentedCommandsTest {

    private static final Pattern COMMAND_LINE = Pattern.compile("-jar target/rabbitmq-kafka-bridge\\.jar([^`\\n]*)");
    private static final Pattern WORD = Pattern.compile("'([^']*)'|\"([^\"]*)\"|(\\S+)");

    @Test
    void everyCommandTheDocsShowExistsAndTakesItsArguments() throws IOException {
        List<String> shown = new ArrayList<>();
        for (Path doc : DocumentationTest.documents()) {
            Matcher line = COMMAND_LINE.matcher(Files.readString(doc));
            while (line.find()) {
                List<String> words = words(line.group(1).replaceFirst("\\s#.*", ""));
                shown.add(String.join(" ", words));
                if (words.isEmpty() || words.get(0).startsWith("-")) {
                    continue; // the bridge itself, with camel-main's options
                }
                assertThat(Commands.exists(words.get(0))).as("%s: %s", doc, words).isTrue();
                List<String> arguments = words.subList(1, words.size());
                if (words.get(0).equals("send")) {
                    assertThat(SendCommand.parse(arguments)).as("%s: %s", doc, words).isNotNull();
                } else if (words.get(0).equals("tail")) {
                    assertThat(TailCommand.parse(arguments)).as("%s: %s", doc, words).isNotNull();
                } else if (words.get(0).equals("replay-range")) {
                    assertThat(ReplayOptions.parse(arguments)).as("%s: %s", doc, words).isNotNull();
                }
            }
        }
        assertThat(shown).as("the smoke test and the dev command are shown")
                .anyMatch(words -> words.startsWith("send exchange")).anyMatch(words -> words.startsWith("send topic"))
                .anyMatch(words -> words.startsWith("tail topic")).anyMatch(words -> words.startsWith("tail exchange"))
                .contains("dev");
    }

    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        Matcher word = WORD.matcher(line);
        while (word.find()) {
            words.add(word.group(1) != null ? word.group(1) : word.group(2) != null ? word.group(2) : word.group(3));
        }
        return words;
    }
}
