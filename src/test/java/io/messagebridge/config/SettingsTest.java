package io.messagebridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings settings(Map<String, String> values) {
        return new Settings(values::get);
    }

    @Test
    void readsValidValues() {
        Settings settings = settings(Map.of("rabbitmq.port", " 5672 ", "kafka.brokers", "a:9092, b:9093", "name", "x"));
        assertThat(settings.port("rabbitmq.port")).isEqualTo(5672);
        assertThat(settings.hostPortList("kafka.brokers")).isEqualTo("a:9092, b:9093");
        assertThat(settings.text("name")).isEqualTo("x");
        assertThat(settings.text("missing", "fallback")).isEqualTo("fallback");
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndTheEnvironmentVariable() {
        assertThatThrownBy(() -> settings(Map.of("rabbitmq.port", "abc")).port("rabbitmq.port"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("invalid setting rabbitmq.port='abc': not a whole number; set rabbitmq.port in "
                        + "application.properties or the environment variable RABBITMQ_PORT");
        assertThatThrownBy(() -> settings(Map.of("rabbitmq.port", "70000")).port("rabbitmq.port"))
                .hasMessageContaining("must be between 1 and 65535");
        assertThatThrownBy(() -> settings(Map.of()).text("rabbitmq.host"))
                .hasMessageStartingWith("invalid setting rabbitmq.host=(missing): a value is required");
        assertThatThrownBy(() -> settings(Map.of("kafka.brokers", "localhost")).hostPortList("kafka.brokers"))
                .hasMessageContaining("expected host:port").hasMessageContaining("KAFKA_BROKERS");
        assertThatThrownBy(() -> settings(Map.of("kafka.brokers", "a:90x2")).hostPortList("kafka.brokers"))
                .hasMessageContaining("'90x2' is not a port number");
        assertThatThrownBy(() -> settings(Map.of("bridge.orders.prefetch", "0")).integer("bridge.orders.prefetch", 1, 10))
                .hasMessageContaining("BRIDGE_ORDERS_PREFETCH");
    }

    @Test
    void anOptionalNumberIsEmptyWithoutAValueAndCheckedWithOne() {
        Settings settings = settings(Map.of("replicas", " 3 ", "blank", " ", "bad", "three"));
        assertThat(settings.optionalInteger("replicas", 1, 5)).hasValue(3);
        assertThat(settings.optionalInteger("blank", 1, 5)).isEmpty();
        assertThat(settings.optionalInteger("missing", 1, 5)).isEmpty();
        assertThatThrownBy(() -> settings.optionalInteger("bad", 1, 5)).hasMessageContaining("invalid setting bad='three'");
    }

    @Test
    void thePasswordNeverAppearsInTheSettingsDescription() {
        RabbitMqSettings rabbit = RabbitMqSettings.from(settings(Map.of("rabbitmq.host", "h", "rabbitmq.port", "5672",
                "rabbitmq.username", "app", "rabbitmq.password", "s3cret", "bridge.rabbitmq.ssl.enabled", "false")));
        assertThat(rabbit.toString()).doesNotContain("s3cret").contains("****").contains("app@h:5672");
        assertThat(rabbit.clientConnectionFactory().getPassword()).isEqualTo("s3cret");
        assertThat(rabbit.clientConnectionFactory().isSSL()).isFalse();
        assertThat(rabbit.virtualHost()).isEqualTo("/");
    }

    @Test
    void amqpsChecksTheServerCertificateAndItsHostName() {
        RabbitMqSettings rabbit = RabbitMqSettings.from(settings(Map.of("rabbitmq.host", "rabbit.example.com",
                "rabbitmq.port", "5671", "rabbitmq.username", "app", "rabbitmq.password", "s3cret",
                "bridge.rabbitmq.ssl.enabled", "true")));
        assertThat(rabbit.toString()).contains("TLS").doesNotContain("s3cret");
        assertThat(rabbit.clientConnectionFactory().isSSL()).isTrue();
        assertThatThrownBy(() -> RabbitMqSettings.from(settings(Map.of("rabbitmq.host", "h", "rabbitmq.port", "5671",
                "rabbitmq.username", "app", "rabbitmq.password", "s3cret", "bridge.rabbitmq.ssl.enabled", "true",
                "bridge.rabbitmq.ssl.truststore", "/no/such/truststore.p12"))).clientConnectionFactory())
                .hasMessageStartingWith("invalid setting bridge.rabbitmq.ssl.truststore='/no/such/truststore.p12'");
    }
}
