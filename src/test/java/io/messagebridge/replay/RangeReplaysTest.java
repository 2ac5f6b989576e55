package io.messagebridge.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

import javax.management.MBeanFeatureInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;

import org.apache.camel.impl.DefaultCamelContext;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.junit.jupiter.api.Test;

/** The replay MBean as a JMX client and Jolokia see it, without brokers (its runs are RangeReplayIT's). */
class RangeReplaysTest {

    @Test
    void itIsRegisteredInTheApplicationsDomainWithItsOperationsAndFiguresAndGoneWhenStopped() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(RangeReplays.OBJECT_NAME);
        RangeReplays replays = new RangeReplays(new DefaultCamelContext());
        replays.start();
        try {
            MBeanInfo info = server.getMBeanInfo(name);
            assertThat(Arrays.stream(info.getOperations()).map(MBeanFeatureInfo::getName))
                    .containsExactlyInAnyOrder("startReplay", "stopReplay");
            assertThat(Arrays.stream(info.getAttributes()).map(MBeanFeatureInfo::getName)).containsExactlyInAnyOrder(
                    "State", "Range", "Done", "Total", "Rate", "EtaSeconds", "Undelivered", "NextOffsets",
                    "ResumeArguments", "LastError");
            assertThat(server.getAttribute(name, "State")).isEqualTo("idle");
            assertThat(server.getAttribute(name, "Done")).isEqualTo(0L);
            assertThat(server.getAttribute(name, "EtaSeconds")).isEqualTo(-1L);
            // a JMX client need not have the application's classes: a wrong use is a plain IllegalArgumentException
            assertThatThrownBy(() -> server.invoke(name, "startReplay", new Object[] {"topic shipments --into topic x"},
                    new String[] {String.class.getName()})).isInstanceOf(RuntimeMBeanException.class)
                    .cause().isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("missing --from");
            assertThat(server.getAttribute(name, "State")).isEqualTo("idle");
        } finally {
            replays.stop();
        }
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void jolokiasPolicyLetsClientsRunItsOperationsAndReadItsFiguresButNotCamelsOperations() throws Exception {
        PolicyRestrictor policy;
        try (InputStream access = getClass().getResourceAsStream("/jolokia-access.xml")) {
            policy = new PolicyRestrictor(access);
        }
        ObjectName replay = new ObjectName(RangeReplays.OBJECT_NAME);

        assertThat(policy.isOperationAllowed(replay, "startReplay")).isTrue();
        assertThat(policy.isOperationAllowed(replay, "stopReplay")).isTrue();
        assertThat(policy.isAttributeReadAllowed(replay, "Done")).isTrue();
        assertThat(policy.isOperationAllowed(new ObjectName(
                "org.apache.camel:context=rabbitmq-kafka-bridge,type=routes,name=\"shipments-to-rabbitmq\""), "stop"))
                .isFalse();
    }
}
