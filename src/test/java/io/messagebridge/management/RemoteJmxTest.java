package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InvalidClassException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import io.messagebridge.config.InvalidSettingException;
import io.messagebridge.config.Settings;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.PrivateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote JMX is off unless asked for, never on without its password and access files, nor with files that others
 * may read; a client's credentials are deserialized only when they are strings.
 */
class RemoteJmxTest {

    private final int port = KafkaBroker.freePort();
    private final Map<String, String> properties = new HashMap<>(Map.of(
            "bridge.jmx.enabled", "false", "bridge.jmx.host", "127.0.0.1", "bridge.jmx.port", Integer.toString(port),
            "bridge.jmx.ssl.enabled", "false"));

    @TempDir
    Path dir;

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

    @Test
    void notWithAPasswordOrAccessFileThatGroupOrOthersMayRead() throws Exception {
        enable();
        Path passwords = Path.of(properties.get("bridge.jmx.password-file"));
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> RemoteJmx.from(new Settings(properties::get)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("invalid setting bridge.jmx.password-file='" + passwords + "': ")
                .hasMessageContaining("rw-r--r--").hasMessageContaining("chmod 600 " + passwords);

        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
        Path access = Path.of(properties.get("bridge.jmx.access-file"));
        Files.setPosixFilePermissions(access, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> RemoteJmx.from(new Settings(properties::get)))
                .hasMessageStartingWith("invalid setting bridge.jmx.access-file='" + access + "': ")
                .hasMessageContaining("chmod 600 " + access);

        Files.setPosixFilePermissions(access, PosixFilePermissions.fromString("r--------"));
        assertThat(RemoteJmx.from(new Settings(properties::get))).isNotNull();
    }

    @Test
    void credentialsThatAreNotStringsAreRefusedBeforeTheyAreRead() throws Exception {
        enable();
        RemoteJmx jmx = RemoteJmx.from(new Settings(properties::get));
        jmx.start();
        try {
            for (Object credentials : new Object[] {new Integer[] {1, 2}, new HashMap<>(Map.of("user", "ops"))}) {
                assertThatThrownBy(() -> connect(credentials).close())
                        .as(credentials.getClass().getSimpleName())
                        .hasRootCauseInstanceOf(InvalidClassException.class)
                        .rootCause().hasMessageContaining("REJECTED");
            }
            assertThatThrownBy(() -> connect(new String[] {"ops", "wrong"}).close())
                    .isInstanceOf(SecurityException.class).hasMessageContaining("Invalid username or password");
            try (JMXConnector connector = connect(new String[] {"ops", "0ps-s3cret"})) {
                assertThat(connector.getMBeanServerConnection().getDefaultDomain()).isNotEmpty();
            }
        } finally {
            jmx.stop();
        }
    }

    private void enable() {
        properties.put("bridge.jmx.enabled", "true");
        properties.put("bridge.jmx.password-file", PrivateFiles.write(dir.resolve("jmx.password"), "ops 0ps-s3cret\n")
                .toString());
        properties.put("bridge.jmx.access-file", PrivateFiles.write(dir.resolve("jmx.access"), "ops readonly\n")
                .toString());
    }

    private JMXConnector connect(Object credentials) throws IOException {
        return JMXConnectorFactory.connect(new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"),
                Map.of(JMXConnector.CREDENTIALS, credentials));
    }
}
