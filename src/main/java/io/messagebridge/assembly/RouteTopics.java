package io.messagebridge.assembly;

import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import io.messagebridge.errors.DeadLetterRoute;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.EndpointAware;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * The Kafka topics a context's routes read and write, taken from the endpoints Camel made for them (Java DSL, YAML and
 * templated routes alike, placeholders resolved): the topics each route consumes, with their dead-letter topics, and
 * the topic of each endpoint a route sends to. Registered as a lifecycle strategy, it notes the routes as Camel creates
 * them, so the topics are known once the context is initialised, before any route starts. Endpoints made per message
 * ({@code toD}), topic patterns and sends inside {@code onException} are not seen.
 */
final class RouteTopics extends LifecycleStrategySupport {

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    @Override
    public void onRouteContextCreate(Route route) {
        routes.add(route);
    }

    /** Every topic, sorted; {@code deadLetterTopic} names the dead-letter topic of a topic that is read. */
    SortedSet<String> topics(UnaryOperator<String> deadLetterTopic) {
        SortedSet<String> topics = new TreeSet<>();
        for (Route route : routes) {
            if (route.getRouteId().equals(DeadLetterRoute.ROUTE_ID)) {
                // its Kafka endpoint's topic is a stand-in: each dead letter goes to the dead-letter topic of its source
                continue;
            }
            for (String read : topicsOf(route.getEndpoint())) {
                topics.add(read);
                topics.add(deadLetterTopic.apply(read));
            }
            for (Processor step : route.filter("*")) {
                if (step instanceof EndpointAware send) {
                    topics.addAll(topicsOf(send.getEndpoint()));
                }
            }
        }
        return topics;
    }

    private static List<String> topicsOf(Endpoint endpoint) {
        Endpoint target = endpoint instanceof DelegateEndpoint delegate ? delegate.getEndpoint() : endpoint;
        if (!(target instanceof KafkaEndpoint kafka)) {
            return List.of();
        }
        KafkaConfiguration configuration = kafka.getConfiguration();
        if (configuration.isTopicIsPattern() || configuration.getTopic() == null) {
            return List.of();
        }
        // a consumer may read several topics: kafka:a,b
        return Arrays.stream(configuration.getTopic().split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }
}
