package io.messagebridge.management;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.rmi.ssl.SslRMIClientSocketFactory;

import io.messagebridge.config.InvalidSettingException;
import io.messagebridge.config.Settings;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote JMX for operators (jconsole, VisualVM, Mission Control), off unless {@code bridge.jmx.enabled=true}. When on,
 * it always asks for a user name and password ({@code bridge.jmx.password-file}) and gives each user the access
 * ({@code readonly} or {@code readwrite}) that {@code bridge.jmx.access-file} says: a connection without credentials
 * is refused. The RMI registry and the connector share one port on one address ({@code bridge.jmx.host}, local only
 * by default), optionally over TLS ({@code bridge.jmx.ssl.*}). As the JDK's own agent does, it refuses to start when
 * group or others may access either file, and reads a client's credentials only if they are strings. Camel 4 no longer
 * creates a connector itself.
 */
public final class RemoteJmx extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJmx.class);
    /**
     * The credentials arrive serialized before anyone has logged in: anything but a String (or an array of them) could
     * be a deserialization gadget, so it is refused before it is read. The JDK's agent sets the same filter.
     */
    private static final String STRINGS_ONLY = String.class.getName() + ";!*";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final String host;
    private final int port;
    private final Path passwordFile;
    private final Path accessFile;
    private final SSLContext tls;
    private Registry registry;
    private JMXConnectorServer server;

    private RemoteJmx(String host, int port, Path passwordFile, Path accessFile, SSLContext tls) {
        this.host = host;
        this.port = port;
        this.passwordFile = passwordFile;
        this.accessFile = accessFile;
        this.tls = tls;
    }

    /** The remote connector the settings ask for, or null when {@code bridge.jmx.enabled} is false. */
    public static RemoteJmx from(Settings settings) throws Exception {
        if (!Boolean.parseBoolean(settings.oneOf("bridge.jmx.enabled", "true", "false"))) {
            return null;
        }
        SSLContext tls = null;
        if (Boolean.parseBoolean(settings.oneOf("bridge.jmx.ssl.enabled", "true", "false"))) {
            tls = sslContext(readable(settings, "bridge.jmx.ssl.keystore"),
                    settings.text("bridge.jmx.ssl.keystore-password").toCharArray());
        }
        return new RemoteJmx(settings.text("bridge.jmx.host"), settings.port("bridge.jmx.port"),
                ownerOnly(settings, "bridge.jmx.password-file"), ownerOnly(settings, "bridge.jmx.access-file"), tls);
    }

    /** A readable file that only its owner may access (on a POSIX file system), as the JDK's agent requires. */
    private static Path ownerOnly(Settings settings, String key) throws IOException {
        Path path = readable(settings, key);
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new InvalidSettingException(key, settings.text(key), "group or others may access it ("
                        + PosixFilePermissions.toString(permissions) + "); keep it to its owner: chmod 600 " + path);
            }
        }
        return path;
    }

    private static Path readable(Settings settings, String key) {
        String value = settings.text(key);
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            throw new InvalidSettingException(key, value, "no readable file there");
        }
        return path;
    }

    private static SSLContext sslContext(Path keystore, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    @Override
    protected void doStart() throws Exception {
        InetAddress address = InetAddress.getByName(host);
        if (!address.isAnyLocalAddress() && System.getProperty("java.rmi.server.hostname") == null) {
            // the stubs a client receives must name the address the connector listens on
            System.setProperty("java.rmi.server.hostname", host);
        }
        RMIServerSocketFactory serverSockets = new BoundServerSocketFactory(address, tls);
        RMIClientSocketFactory clientSockets = tls == null ? null : new SslRMIClientSocketFactory();
        registry = LocateRegistry.createRegistry(port, clientSockets, serverSockets);

        Map<String, Object> environment = new HashMap<>();
        environment.put("jmx.remote.x.password.file", passwordFile.toString());
        environment.put("jmx.remote.x.access.file", accessFile.toString());
        environment.put(RMIConnectorServer.CREDENTIALS_FILTER_PATTERN, STRINGS_ONLY);
        // exported and put in the registry here, in-process, as the JDK's own agent does: no client-side lookup, which
        // would have to trust our own certificate
        RMIJRMPServerImpl connector = new RMIJRMPServerImpl(port, clientSockets, serverSockets, environment);
        server = new RMIConnectorServer(new JMXServiceURL("rmi", host, port), environment, connector,
                ManagementFactory.getPlatformMBeanServer());
        server.start();
        registry.bind("jmxrmi", connector.toStub());
        LOG.info("Remote JMX at service:jmx:rmi:///jndi/rmi://{}:{}/jmxrmi ({}, users from {}, access from {})",
                host, port, tls == null ? "no TLS" : "TLS", passwordFile, accessFile);
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (registry != null) {
            UnicastRemoteObject.unexportObject(registry, true);
        }
    }

    /**
     * Server sockets on one address, plain or TLS. Equal factories let RMI put the registry and the connector on the
     * same port.
     */
    private static final class BoundServerSocketFactory implements RMIServerSocketFactory {
        private final InetAddress address;
        private final SSLContext tls;

        BoundServerSocketFactory(InetAddress address, SSLContext tls) {
            this.address = address;
            this.tls = tls;
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            if (tls == null) {
                return new ServerSocket(port, 0, address);
            }
            SSLServerSocket socket = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(port, 0, address);
            socket.setNeedClientAuth(false);
            return socket;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BoundServerSocketFactory that && address.equals(that.address)
                    && Objects.equals(tls, that.tls);
        }

        @Override
        public int hashCode() {
            return Objects.hash(address, tls);
        }
    }
}
