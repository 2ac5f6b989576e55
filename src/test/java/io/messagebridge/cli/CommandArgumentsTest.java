package io.messagebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CommandArgumentsTest {

    private static CommandArguments parse(String... words) {
        return CommandArguments.parse(List.of(words), Set.of("--all"), Set.of("--key"));
    }

    @Test
    void optionsMayStandAnywhereAmongThePositionals() {
        CommandArguments args = parse("shipments", "--key", "s-1", "--all", "{}");
        assertThat(args.positional(0, "<topic>")).isEqualTo("shipments");
        assertThat(args.positional(1, "<body>")).isEqualTo("{}");
        assertThat(args.value("--key", null)).isEqualTo("s-1");
        assertThat(args.flag("--all")).isTrue();
        args.noMoreThan(2);
    }

    @Test
    void aValueMayFollowAnEqualsSign() {
        assertThat(parse("--key=a=b").value("--key", null)).isEqualTo("a=b");
        assertThat(parse("--key=").value("--key", null)).isEmpty();
    }

    @Test
    void anOptionNotGivenIsAbsent() {
        CommandArguments args = parse("x");
        assertThat(args.value("--key", "none")).isEqualTo("none");
        assertThat(args.flag("--all")).isFalse();
        assertThat(args.optional(1, "routes")).isEqualTo("routes");
    }

    @Test
    void aDashAloneIsAPositionalAndADoubleDashEndsTheOptions() {
        CommandArguments args = parse("-", "--", "--key", "--all");
        assertThat(List.of(args.positional(0, "a"), args.positional(1, "b"), args.positional(2, "c")))
                .containsExactly("-", "--key", "--all");
        assertThat(args.value("--key", null)).isNull();
        assertThat(args.flag("--all")).isFalse();
    }

    @Test
    void theRestOfThePositionalsAreAtLeastOne() {
        assertThat(parse("notifications", "order.#", "shipment.#").positionalsFrom(1, "<binding key>"))
                .containsExactly("order.#", "shipment.#");
        assertThatThrownBy(() -> parse("notifications").positionalsFrom(1, "<binding key>"))
                .isInstanceOf(UsageException.class).hasMessage("missing <binding key>");
    }

    @Test
    void eachMistakeIsAUsageErrorThatSaysWhatIsWrong() {
        assertThatThrownBy(() -> parse("--kye", "x")).isInstanceOf(UsageException.class).hasMessage("unknown option --kye");
        assertThatThrownBy(() -> parse("x", "--key")).isInstanceOf(UsageException.class).hasMessage("--key needs a value");
        assertThatThrownBy(() -> parse("--all=yes")).isInstanceOf(UsageException.class).hasMessage("--all takes no value");
        assertThatThrownBy(() -> parse("x").positional(1, "<body>")).isInstanceOf(UsageException.class)
                .hasMessage("missing <body>");
        assertThatThrownBy(() -> parse("x", "y", "z").noMoreThan(2)).isInstanceOf(UsageException.class)
                .hasMessage("unexpected argument 'z'");
    }

    @Test
    void theFirstWordChoosesTheForm() {
        assertThat(CommandArguments.form(List.of("topic", "x"), "exchange", "topic")).isEqualTo("topic");
        assertThatThrownBy(() -> CommandArguments.form(List.of(), "exchange", "topic"))
                .isInstanceOf(UsageException.class).hasMessage("missing exchange|topic");
        assertThatThrownBy(() -> CommandArguments.form(List.of("queue"), "exchange", "topic"))
                .isInstanceOf(UsageException.class).hasMessage("expected exchange|topic, not 'queue'");
    }
}
