package io.messagebridge.management.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.messagebridge.config.InvalidSettingException;
import io.messagebridge.config.Settings;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** bridge.lag.sample-interval-ms: 0 leaves no sampler (no thread, no client); anything else adds one; a bad value says so. */
class BacklogSamplerTest {

    private static Settings settings(String interval) {
        return new Settings(Map.of("bridge.lag.sample-interval-ms", interval, "kafka.brokers", "localhost:9092",
                "bridge.kafka.security-protocol", "PLAINTEXT", "rabbitmq.host", "localhost", "rabbitmq.port", "5672",
                "rabbitmq.username", "guest", "rabbitmq.password", "guest", "bridge.rabbitmq.ssl.enabled", "false")::get);
    }

    @Test
    void intervalZeroTurnsSamplingOff() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            BacklogSampler.install(context, settings("0"));
            assertThat(context.hasService(BacklogSampler.class)).isNull();
            assertThat(BacklogSampler.backlog(context, "orders-to-kafka")).isNull();
        }
    }

    @Test
    void anyOtherIntervalAddsTheSamplerWhichHasNothingToSayBeforeItsFirstSample() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            BacklogSampler.install(context, settings("10000"));
            assertThat(context.hasService(BacklogSampler.class)).isNotNull();
            assertThat(BacklogSampler.backlog(context, "orders-to-kafka")).isNull();
        }
    }

    @Test
    void aBadIntervalNamesTheSetting() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            assertThatThrownBy(() -> BacklogSampler.install(context, settings("-1")))
                    .isInstanceOf(InvalidSettingException.class).hasMessageContaining("bridge.lag.sample-interval-ms");
        }
    }
}
