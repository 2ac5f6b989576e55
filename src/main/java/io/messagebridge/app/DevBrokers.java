package io.messagebridge.app;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.messagebridge.config.RabbitMqSettings;
import io.messagebridge.config.Settings;
import io.messagebridge.kafkaserver.KafkaServerProcess;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The brokers of the dev profile ({@code java -jar ... dev}, or CAMEL_MAIN_PROFILE=dev), made sure of before anything
 * connects: a RabbitMQ that does not answer stops start-up with one line on how to get one; when nothing answers at
 * kafka.brokers and those are addresses of this machine, a single-node Kafka is started at the first of them
 * ({@link KafkaServerProcess}, data in bridge.dev.kafka-data-dir), said in one line, and stopped after the application.
 * Outside the dev profile it does nothing: an unreachable broker is reported and retried as always.
 */
final class DevBrokers extends MainListenerSupport {

    static final String PROFILE = "dev";

    private static final Logger LOG = LoggerFactory.getLogger(DevBrokers.class);
    /** Long enough for a broker that listens, short enough not to hold up a start-up on a silent address. */
    private static final int CONNECT_TIMEOUT_MS = 1_000;

    private KafkaServerProcess kafka;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        if (!PROFILE.equals(main.configure().getProfile())) {
            return;
        }
        Settings settings = Settings.of(main.getCamelContext());
        RabbitMqSettings rabbitMq = RabbitMqSettings.from(settings);
        if (!answers(rabbitMq.host(), rabbitMq.port())) {
            throw new IllegalStateException("RabbitMQ does not answer at " + rabbitMq.address() + ": start it (sudo "
                    + "rabbitmq-server -detached), install it (sudo apt-get install rabbitmq-server) or run it in Docker "
                    + "(export RABBITMQ_USERNAME=bridge RABBITMQ_PASSWORD=$(openssl rand -hex 16); docker compose up -d "
                    + "rabbitmq), then run this again");
        }
        List<String> brokers = Arrays.stream(settings.hostPortList("kafka.brokers").split(",")).map(String::trim).toList();
        if (brokers.stream().anyMatch(broker -> answers(host(broker), port(broker)))
                || !brokers.stream().allMatch(broker -> isLocal(host(broker)))) {
            return;
        }
        String first = brokers.get(0);
        kafka = new KafkaServerProcess(KafkaServerProcess.builtClassPath(),
                Path.of(settings.text("bridge.dev.kafka-data-dir")), host(first), port(first));
        kafka.start(Duration.ofSeconds(settings.integer("bridge.dev.kafka-start-timeout-s", 1, 3_600)));
        LOG.info("Dev profile: nothing answered at {}, so a single-node Kafka (KRaft) now runs there, with its data and "
                + "log in {}; it stops with the application", kafka.bootstrapServers(), kafka.dataDir());
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        // after the routes: their graceful stop still commits and sends to this broker
        if (kafka != null) {
            kafka.stop();
        }
    }

    private static String host(String hostAndPort) {
        return hostAndPort.substring(0, hostAndPort.lastIndexOf(':'));
    }

    private static int port(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }

    private static boolean answers(String host, int port) {
        return KafkaServerProcess.answers(host, port, CONNECT_TIMEOUT_MS);
    }

    /** Every address of the host is this machine's: a broker started here is the one its clients reach. */
    static boolean isLocal(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress() && !address.isAnyLocalAddress()
                        && NetworkInterface.getByInetAddress(address) == null) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
