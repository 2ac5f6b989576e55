package io.messagebridge.management;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.messagebridge.core.ContextAwareService;
import io.messagebridge.errors.DeadLetterReplay;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;

/**
 * Counting and replaying dead letters over JMX, by route id: a route's dead letters are those of the queue or topic
 * it consumes, so this works for the Java DSL routes and the YAML ones alike.
 */
public final class DeadLetters extends ContextAwareService implements DeadLettersMBean {

    public static final String OBJECT_NAME = "io.messagebridge:type=DeadLetters";

    private final DeadLetterReplay replay;

    public DeadLetters(DeadLetterReplay replay) {
        this.replay = replay;
    }

    @Override
    public long count(String routeId) throws Exception {
        Endpoint source = source(routeId);
        if (source instanceof SpringRabbitMQEndpoint rabbit) {
            return replay.countQueue(rabbit.getQueues());
        }
        return replay.countTopic(((KafkaEndpoint) source).getConfiguration().getTopic());
    }

    @Override
    public int replay(String routeId, int max) throws Exception {
        Endpoint source = source(routeId);
        if (source instanceof SpringRabbitMQEndpoint rabbit) {
            return replay.replayQueue(rabbit.getQueues(), max);
        }
        return replay.replayTopic(((KafkaEndpoint) source).getConfiguration().getTopic(), max);
    }

    private Endpoint source(String routeId) {
        Route route = getCamelContext().getRoute(routeId);
        if (route == null) {
            throw new IllegalArgumentException("no route " + routeId + "; routes: " + getCamelContext().getRoutes().stream()
                    .map(Route::getRouteId).toList());
        }
        Endpoint endpoint = route.getEndpoint();
        if (endpoint instanceof SpringRabbitMQEndpoint || endpoint instanceof KafkaEndpoint) {
            return endpoint;
        }
        throw new IllegalArgumentException("route " + routeId + " does not consume from RabbitMQ or Kafka");
    }

    @Override
    protected void doStart() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        if (!server.isRegistered(name)) {
            server.registerMBean(this, name);
        }
    }

    @Override
    protected void doStop() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
    }
}
