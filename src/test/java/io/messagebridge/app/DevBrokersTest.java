package io.messagebridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which kafka.brokers hosts the dev profile may start a Kafka for: only this machine's. */
class DevBrokersTest {

    @Test
    void loopbackNamesAndAddressesAreLocal() {
        assertThat(DevBrokers.isLocal("localhost")).isTrue();
        assertThat(DevBrokers.isLocal("127.0.0.1")).isTrue();
        assertThat(DevBrokers.isLocal("[::1]")).isTrue();
    }

    @Test
    void anAddressOfNoInterfaceHereIsNot() {
        // TEST-NET-1 (RFC 5737): documentation only, never a machine's address
        assertThat(DevBrokers.isLocal("192.0.2.1")).isFalse();
    }
}
