package io.messagebridge.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.messagebridge.cli.UsageException;
import io.messagebridge.replay.ReplayOptions.At;
import io.messagebridge.replay.ReplayOptions.Earliest;
import io.messagebridge.replay.ReplayOptions.Offsets;
import org.junit.jupiter.api.Test;

class ReplayOptionsTest {

    @Test
    void theDocumentedCommandLineGivesItsRangeTargetAndRoutingKey() {
        ReplayOptions options = parse("topic shipments --from 2026-11-01T00:00Z --to 2026-11-02T00:00Z "
                + "--into exchange notifications.rebuild --routing-key shipment.<status>");

        assertThat(options.topic()).isEqualTo("shipments");
        assertThat(options.from()).isEqualTo(new At(Instant.parse("2026-11-01T00:00:00Z")));
        assertThat(options.to()).isEqualTo(new At(Instant.parse("2026-11-02T00:00:00Z")));
        assertThat(options.target()).isEqualTo(new ReplayOptions.Target(true, "notifications.rebuild"));
        assertThat(options.routingKey()).isEqualTo("shipment.<status>");
        assertThat(options.route()).isNull();
        assertThat(options.maxRate()).isZero();
        assertThat(options.dryRun()).isFalse();
    }

    @Test
    void earliestAnOpenEndARouteATopicTargetOffsetsADateAndOptionsAnywhere() {
        ReplayOptions route = parse("topic shipments --into exchange rebuild --from earliest --route shipments-to-rabbitmq "
                + "--dry-run --max-rate 250");
        assertThat(route.from()).isInstanceOf(Earliest.class);
        assertThat(route.to()).isNull();
        assertThat(route.route()).isEqualTo("shipments-to-rabbitmq");
        assertThat(route.dryRun()).isTrue();
        assertThat(route.maxRate()).isEqualTo(250);

        ReplayOptions topic = parse("topic shipments --from 0:120,1:98,2:300 --to=2026-11-02 --into topic shipments.copy");
        assertThat(topic.from()).isEqualTo(new Offsets(Map.of(0, 120L, 1, 98L, 2, 300L)));
        assertThat(topic.to()).isEqualTo(new At(Instant.parse("2026-11-02T00:00:00Z")));
        assertThat(topic.target()).isEqualTo(new ReplayOptions.Target(false, "shipments.copy"));
    }

    @Test
    void theWordsOfOptionsAskForThemAgainAndAResumeFixesBothEndsInOffsets() {
        String line = "topic shipments --from 2026-11-01T00:00:00Z --to 2026-11-02T00:00:00Z --into exchange x "
                + "--routing-key shipment.<status> --max-rate 10";
        ReplayOptions options = parse(line);
        assertThat(String.join(" ", options.words())).isEqualTo(line);
        assertThat(ReplayOptions.parse(options.words())).isEqualTo(options);

        ReplayOptions resume = parse(line + " --dry-run").resumingAt(Map.of(0, 5L, 1, 7L), Map.of(1, 9L, 0, 8L));
        assertThat(String.join(" ", resume.words())).isEqualTo("topic shipments --from 0:5,1:7 --to 0:8,1:9 "
                + "--into exchange x --routing-key shipment.<status> --max-rate 10");
        assertThat(ReplayCommandLine.command(resume)).endsWith(" replay-range topic shipments --from 0:5,1:7 "
                + "--to 0:8,1:9 --into exchange x --routing-key 'shipment.<status>' --max-rate 10");
    }

    @Test
    void eachWrongUseSaysWhatIsWrong() {
        assertRefused("topic shipments --from 2026-11-02T00:00Z --to 2026-11-01T00:00Z --into topic t",
                "--from 2026-11-02T00:00:00Z is not before --to 2026-11-01T00:00:00Z");
        assertRefused("topic shipments --from 2026-11-01T00:00Z --to 2026-11-01T00:00Z --into topic t", "is not before");
        assertRefused("topic shipments --into topic t", "missing --from");
        assertRefused("topic shipments --from earliest", "missing --into exchange|topic <name>");
        assertRefused("topic shipments --from earliest --into queue q", "--into takes exchange|topic and a name, not 'queue'");
        assertRefused("topic shipments --from earliest --into exchange", "--into needs exchange|topic and a name");
        assertRefused("topic shipments --from yesterday --into topic t", "--from takes an ISO-8601 time such as "
                + "2026-11-01T00:00Z, earliest or offsets such as 0:120,1:98, not 'yesterday'");
        assertRefused("topic shipments --from earliest --to earliest --into topic t", "--to takes an ISO-8601 time");
        assertRefused("topic shipments --from 0:1,0:2 --into topic t", "--from names partition 0 twice");
        assertRefused("topic shipments --from earliest --into exchange x", "give either --routing-key <pattern> or --route");
        assertRefused("topic shipments --from earliest --into exchange x --routing-key a --route b", "give either");
        assertRefused("topic shipments --from earliest --into topic t --routing-key a", "are for an exchange");
        assertRefused("topic shipments --from earliest --into topic shipments", "cannot be replayed into the topic itself");
        assertRefused("topic shipments --from earliest --into topic t --max-rate fast", "--max-rate takes records per second");
        assertRefused("topic shipments --from earliest --into topic t --at 3", "unknown option --at");
        assertRefused("topic --from earliest --into topic t", "missing <topic>");
        assertRefused("topic a b --from earliest --into topic t", "unexpected argument 'b'");
        assertRefused("queue shipments", "expected topic, not 'queue'");
    }

    private static void assertRefused(String line, String problem) {
        assertThatThrownBy(() -> parse(line)).as(line).isInstanceOf(UsageException.class).hasMessageContaining(problem);
    }

    private static ReplayOptions parse(String line) {
        return ReplayOptions.parse(List.of(line.split(" ")));
    }
}
