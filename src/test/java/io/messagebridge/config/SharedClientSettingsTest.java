package io.messagebridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** Client settings that several packages share, each built in one place. */
class SharedClientSettingsTest {

    @Test
    void aDurableProducerWaitsForAllReplicasOnce() {
        Map<String, Object> client = Map.of("bootstrap.servers", "kafka:9092", "security.protocol", "SSL");
        assertThat(KafkaSecurity.durableProducerProperties(client))
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("security.protocol", "SSL")
                .hasSize(4);
    }

    @Test
    void everyPublisherReadsTheConfirmTimeoutFromOneKey() {
        assertThat(RabbitMqSettings.confirmTimeoutMillis(new Settings(Map.of(RabbitMqSettings.CONFIRM_TIMEOUT_KEY, "2500")::get)))
                .isEqualTo(2500);
        assertThatThrownBy(() -> RabbitMqSettings.confirmTimeoutMillis(
                new Settings(Map.of(RabbitMqSettings.CONFIRM_TIMEOUT_KEY, "0")::get)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("bridge.rabbitmq.confirm-timeout-ms");
    }
}
