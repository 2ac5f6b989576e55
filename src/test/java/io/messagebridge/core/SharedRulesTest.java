package io.messagebridge.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;

import org.junit.jupiter.api.Test;

/** The rules that every package shares, each kept in one place. */
class SharedRulesTest {

    @Test
    void camelAndCamelKafkaHeadersNeverCrossInAnyCase() {
        // Camel's header map ignores case: KAFKA.OVERRIDE_TOPIC would steer the producer as kafka.OVERRIDE_TOPIC does
        assertThat(new String[] {"kafka.KEY", "Kafka.Override_Topic", "KAFKA.TOPIC", "CamelSpringRabbitmqExchangeName",
                "camelFileName", "CAMELX", "org.apache.camel.Foo", "ORG.APACHE.CAMEL.foo"})
                .allMatch(BridgeHeaders::isInternal);
        assertThat(new String[] {"x-order-id", "kafkaesque", "kafka", "message-id", "rabbitmq-exchange", "org.apache.x"})
                .noneMatch(BridgeHeaders::isInternal);
    }

    @Test
    void theRootCauseIsTheInnermostOne() {
        ConnectException refused = new ConnectException("Connection refused");
        RuntimeException wrapped = new IllegalStateException("start failed", new IOException("io", refused));
        assertThat(RootCause.of(wrapped)).isSameAs(refused);
        assertThat(RootCause.message(wrapped)).isEqualTo("Connection refused");
        assertThat(RootCause.message(new IllegalStateException(new NullPointerException())))
                .isEqualTo("java.lang.NullPointerException");
    }
}
