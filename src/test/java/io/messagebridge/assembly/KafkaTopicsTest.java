package io.messagebridge.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The lines an operator reads about topics. KafkaTopicsIT shows them against a real broker; this covers the wording
 * of each case, singular and plural.
 */
class KafkaTopicsTest {

    @Test
    void aTopicTheBridgeMayNotCreateIsNamedWithWhatToDo() {
        assertThat(KafkaTopics.notAllowed(List.of("orders.DLT"), 6, 3)).isEqualTo("Kafka topic orders.DLT is missing "
                + "and the bridge's Kafka user may not create it: have an administrator create it (6 partitions, "
                + "replication factor 3, as bridge.kafka.topics.* say), or grant that user CREATE on it or on the cluster");
        assertThat(KafkaTopics.notAllowed(List.of("a", "b"), 1, 1))
                .startsWith("Kafka topics a, b are missing and the bridge's Kafka user may not create them: "
                        + "have an administrator create them (1 partitions")
                .endsWith("grant that user CREATE on them or on the cluster");
    }

    @Test
    void aTopicKafkaRefusesNamesTheSettingsToCheck() {
        TreeMap<String, String> reasons = new TreeMap<>();
        reasons.put("orders", "The target replication factor of 3 cannot be reached because only 1 broker(s) are registered.");
        assertThat(KafkaTopics.refused(reasons)).isEqualTo("Kafka refused to create topic orders (The target "
                + "replication factor of 3 cannot be reached because only 1 broker(s) are registered.); check "
                + "bridge.kafka.topics.partitions and bridge.kafka.topics.replication-factor");
        reasons.put("invoices", "same");
        assertThat(KafkaTopics.refused(reasons)).startsWith("Kafka refused to create topics invoices, orders (same)");
    }

    @Test
    void theReadyLineSaysWhatWasCreatedWithWhichNumbersAndWhatWasFound() {
        assertThat(new KafkaTopics.Ready(List.of("orders", "orders.DLT"), 6, 1, List.of("shipments")).line())
                .isEqualTo("Kafka topics ready, each partition answering from its leader: created orders, orders.DLT "
                        + "(6 partitions, replication factor 1); found shipments");
        assertThat(new KafkaTopics.Ready(List.of(), 6, 3, List.of("orders", "shipments")).line())
                .isEqualTo("Kafka topics ready, each partition answering from its leader: found orders, shipments");
    }
}
