package io.messagebridge.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How every Kafka client of the application (the routes' consumers and producers, the reachability check,
 * deduplication, dead-letter replay) authenticates and encrypts: {@code bridge.kafka.security-protocol} and the
 * SASL and TLS keys next to it. Only the keys that have a value are passed on, so the Kafka defaults apply otherwise.
 */
public final class KafkaSecurity {

    private static final Map<String, String> KEYS = Map.of(
            "bridge.kafka.sasl-mechanism", SaslConfigs.SASL_MECHANISM,
            "bridge.kafka.sasl-jaas-config", SaslConfigs.SASL_JAAS_CONFIG,
            "bridge.kafka.ssl.truststore-location", SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
            "bridge.kafka.ssl.truststore-password", SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
            "bridge.kafka.ssl.keystore-location", SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG,
            "bridge.kafka.ssl.keystore-password", SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG,
            "bridge.kafka.ssl.key-password", SslConfigs.SSL_KEY_PASSWORD_CONFIG);

    private KafkaSecurity() {
    }

    /** Where the brokers are and how to log in: bootstrap.servers, security.protocol, sasl.*, ssl.*. */
    public static Map<String, Object> clientProperties(Settings settings) {
        Map<String, Object> properties = securityProperties(settings);
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.hostPortList("kafka.brokers"));
        return properties;
    }

    /**
     * {@link #clientProperties} for a producer whose every record must be on all in-sync replicas before it counts
     * as sent (acks=all), once (idempotence): the send command and dead-letter replay, which write outside the routes.
     */
    public static Map<String, Object> durableProducerProperties(Map<String, Object> clientProperties) {
        Map<String, Object> properties = new LinkedHashMap<>(clientProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return properties;
    }

    /** security.protocol, sasl.* and ssl.* only, for camel-kafka (which has the brokers already). */
    public static Map<String, Object> securityProperties(Settings settings) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, settings.oneOf("bridge.kafka.security-protocol",
                "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"));
        KEYS.forEach((key, kafkaKey) -> {
            String value = settings.text(key, null);
            if (value != null) {
                properties.put(kafkaKey, value);
            }
        });
        return properties;
    }
}
