package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import io.messagebridge.config.InvalidSettingException;
import io.messagebridge.config.Settings;
import org.junit.jupiter.api.Test;

/** Remote JMX is off unless asked for, and never on without its password and access files. */
class RemoteJmxTest {

    private final Map<String, String> properties = new HashMap<>(Map.of(
            "bridge.jmx.enabled", "false", "bridge.jmx.host", "127.0.0.1", "bridge.jmx.port", "9875",
            "bridge.jmx.ssl.enabled", "false"));

    @Test
    void offByDefault() throws Exception {
        assertThat(RemoteJmx.from(new Settings(properties::get))).isNull();
    }

    @Test
    void onlyWithAPasswordFileAndAnAccessFile() {
        properties.put("bridge.jmx.enabled", "true");
        assertThatThrownBy(() -> RemoteJmx.from(new Settings(properties::get)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("bridge.jmx.password-file").hasMessageContaining("BRIDGE_JMX_PASSWORD_FILE");
        properties.put("bridge.jmx.password-file", "/no/such/jmx.password");
        assertThatThrownBy(() -> RemoteJmx.from(new Settings(properties::get)))
                .hasMessageStartingWith("invalid setting bridge.jmx.password-file='/no/such/jmx.password': "
                        + "no readable file there");
    }
}
