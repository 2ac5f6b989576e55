package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;

import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;

import io.messagebridge.harness.BridgeProcess;
import io.messagebridge.harness.FlowNames;
import io.messagebridge.harness.KafkaBroker;
import io.messagebridge.harness.PrivateFiles;
import io.messagebridge.harness.RabbitMq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote JMX over TLS with the server's keystore: a client that trusts its certificate gets in, a plain one does not. */
class RemoteJmxTlsIT {

    private static final String KEYSTORE_PASSWORD = "k3ystore-s3cret";

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final FlowNames names = FlowNames.unique();
    private final int jmxPort = KafkaBroker.freePort();

    @Test
    void remoteJmxOverTls(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("jmx.p12");
        Path certificate = dir.resolve("jmx.crt");
        Path truststore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "jmx", "-keyalg", "RSA", "-keysize", "2048", "-validity", "1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", KEYSTORE_PASSWORD);
        keytool("-exportcert", "-alias", "jmx", "-keystore", keystore.toString(), "-storepass", KEYSTORE_PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "jmx", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", "trust-it");
        Map<String, String> env = names.provision(kafka);
        env.put("BRIDGE_JMX_ENABLED", "true");
        env.put("BRIDGE_JMX_PORT", Integer.toString(jmxPort));
        env.put("BRIDGE_JMX_PASSWORD_FILE", PrivateFiles.write(dir.resolve("p"), "ops 0ps-s3cret\n").toString());
        env.put("BRIDGE_JMX_ACCESS_FILE", PrivateFiles.write(dir.resolve("a"), "ops readonly\n").toString());
        env.put("BRIDGE_JMX_SSL_ENABLED", "true");
        env.put("BRIDGE_JMX_SSL_KEYSTORE", keystore.toString());
        env.put("BRIDGE_JMX_SSL_KEYSTORE_PASSWORD", KEYSTORE_PASSWORD);
        // the RMI stubs the server hands out make TLS sockets from the JVM's default context: trust the server there
        SSLContext.setDefault(trusting(truststore));

        try (RabbitMq rabbit = new RabbitMq();
             BridgeProcess bridge = new BridgeProcess("jmx-tls-" + names.suffix(), env).startAndAwaitRoutes()) {
            rabbit.forgetPipeline(names);
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            try (JMXConnector jmx = JMXConnectorFactory.connect(url, Map.of(
                    JMXConnector.CREDENTIALS, new String[] {"ops", "0ps-s3cret"},
                    "com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory()))) {
                assertThat(jmx.getMBeanServerConnection().getAttribute(
                        new ObjectName("io.messagebridge:type=Bridge,name=\"orders-to-kafka\""), "State"))
                        .isEqualTo("Started");
            }
            assertThatThrownBy(() -> JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"ops", "0ps-s3cret"})).close())
                    .as("a client that does not speak TLS").isInstanceOf(IOException.class);
            assertThat(bridge.log()).anyMatch(line -> line.contains("Remote JMX at") && line.contains("TLS"))
                    .noneMatch(line -> line.contains(KEYSTORE_PASSWORD));
        }
    }

    private static SSLContext trusting(Path truststore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            trusted.load(in, "trust-it".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(Duration.ofSeconds(30).toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
