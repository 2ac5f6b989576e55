package io.messagebridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.messagebridge.cli.UsageException;
import io.messagebridge.app.SendCommand.ToExchange;
import io.messagebridge.app.SendCommand.ToTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendCommandTest {

    @TempDir
    Path folder;

    @Test
    void toAnExchangeWithARoutingKey() {
        assertThat(SendCommand.parse(List.of("exchange", "orders", "order.created.eu", "--message-id", "m-1", "{}")))
                .isEqualTo(new ToExchange("orders", "order.created.eu", "m-1", "{}"));
    }

    @Test
    void toATopicWithOrWithoutAKey() {
        assertThat(SendCommand.parse(List.of("topic", "shipments", "--key", "s-1", "--message-id=m-2", "@s.json")))
                .isEqualTo(new ToTopic("shipments", "s-1", "m-2", "@s.json"));
        assertThat(SendCommand.parse(List.of("topic", "shipments", "-"))).isInstanceOfSatisfying(ToTopic.class,
                send -> assertThat(send.key()).isNull());
    }

    @Test
    void withoutAnIdEachMessageGetsANewOne() {
        ToTopic first = (ToTopic) SendCommand.parse(List.of("topic", "shipments", "{}"));
        ToTopic second = (ToTopic) SendCommand.parse(List.of("topic", "shipments", "{}"));
        assertThat(first.messageId()).hasSize(36).isNotEqualTo(second.messageId());
    }

    @Test
    void aBadUseSaysWhatIsWrong() {
        assertThatThrownBy(() -> SendCommand.parse(List.of())).hasMessage("missing exchange|topic");
        assertThatThrownBy(() -> SendCommand.parse(List.of("queue", "orders", "{}")))
                .hasMessage("expected exchange|topic, not 'queue'");
        assertThatThrownBy(() -> SendCommand.parse(List.of("exchange", "orders", "{}")))
                .hasMessage("missing <body|@file|->");
        // an exchange takes a routing key, not a record key
        assertThatThrownBy(() -> SendCommand.parse(List.of("exchange", "orders", "order.created", "--key", "k", "{}")))
                .hasMessage("unknown option --key");
        assertThatThrownBy(() -> SendCommand.parse(List.of("topic", "shipments", "{}", "{}")))
                .hasMessage("unexpected argument '{}'");
        assertThatThrownBy(() -> SendCommand.parse(List.of("topic", "shipments", "--key")))
                .isInstanceOf(UsageException.class).hasMessage("--key needs a value");
    }

    @Test
    void theBodyIsTheTextAFileOrStdin() throws Exception {
        assertThat(SendCommand.read("{\"a\":\"é\"}")).isEqualTo("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8));
        Path file = Files.write(folder.resolve("order.json"), new byte[] {1, 2, (byte) 0xff});
        assertThat(SendCommand.read("@" + file)).containsExactly(1, 2, 0xff);
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("from stdin".getBytes(StandardCharsets.UTF_8)));
            assertThat(SendCommand.read("-")).asString(StandardCharsets.UTF_8).isEqualTo("from stdin");
        } finally {
            System.setIn(stdin);
        }
        assertThatThrownBy(() -> SendCommand.read("@" + folder.resolve("missing.json")))
                .isInstanceOf(UsageException.class).hasMessage("no file " + folder.resolve("missing.json").toAbsolutePath());
    }
}
