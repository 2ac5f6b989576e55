package io.messagebridge.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import io.messagebridge.routefiles.OfflineContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The kafka-to-route template's record loop: a record dead-lettered on the way must not end the batch early (the
 * batch would be committed with the records after it never delivered), and a replayed dead letter reaches only the
 * route it is meant for.
 */
class KafkaToRouteTemplateTest {

    @Test
    void aDeadLetteredRecordDoesNotStopTheRestOfTheBatch() throws Exception {
        try (DefaultCamelContext context = startedTemplate()) {
            List<Object> batch = List.of(
                    record(context, "{\"id\":\"a\"}"), record(context, "{\"no\":\"id\"}"), record(context, "{\"id\":\"c\"}"));
            context.createProducerTemplate().sendBody("direct:batch", batch);

            assertThat(delivered(context)).extracting(e -> e.getMessage().getHeader("kafka.KEY")).containsExactly("a", "c");
            assertThat(context.getEndpoint("mock:dead", MockEndpoint.class).getReceivedCounter()).isEqualTo(1);
        }
    }

    @Test
    void aReplayedRecordReachesOnlyTheRouteItIsMeantFor() throws Exception {
        try (DefaultCamelContext context = startedTemplate()) {
            List<Object> batch = List.of(
                    record(context, "{\"id\":\"new\"}"),
                    replayed(context, "{\"id\":\"for-source\"}", "source"),
                    replayed(context, "{\"id\":\"for-other\"}", "other-source"),
                    // a dead letter written before dead letters named the consuming route: the called route's id
                    replayed(context, "{\"id\":\"for-records\"}", "records"),
                    replayed(context, "{\"id\":\"for-records-elsewhere\"}", "dead-letter"));
            context.createProducerTemplate().sendBody("direct:batch", batch);

            assertThat(delivered(context)).extracting(e -> e.getMessage().getHeader("kafka.KEY"))
                    .containsExactly("new", "for-source", "for-records");
            assertThat(delivered(context)).allSatisfy(e -> assertThat(e.getMessage().getHeader("x-replay-route")).isNull());
            assertThat(context.getEndpoint("mock:dead", MockEndpoint.class).getReceivedCounter()).isZero();
        }
    }

    /**
     * The template's route "source", calling route "records", fed from direct:batch as camel-kafka hands a batch over,
     * without the commit step (no real consumer to commit with); dead letters go to mock:dead.
     */
    private static DefaultCamelContext startedTemplate() throws Exception {
        DefaultCamelContext context = OfflineContext.create("classpath:application.properties", new Properties(),
                List.of(new RouteBuilder() {
                    @Override
                    public void configure() {
                        templatedRoute(BridgeTemplates.KAFKA_TO_ROUTE).routeId("source")
                                .parameter("topic", "t").parameter("group", "g").parameter("to", "direct:records");
                        from("direct:records").routeId("records").routeConfigurationId("bridge")
                                .setHeader("kafka.KEY").language("jsonfield", "id")
                                .to("mock:delivered");
                    }
                }));
        RouteDefinition source = context.getRouteDefinition("source");
        source.getInput().setUri("direct:batch");
        source.getOutputs().remove(source.getOutputs().stream().filter(ProcessDefinition.class::isInstance)
                .findFirst().orElseThrow());
        ProcessorDefinitionHelper.filterTypeInOutputs(context.getRouteDefinition("dead-letter").getOutputs(),
                ToDefinition.class).forEach(to -> to.setUri("mock:dead"));
        context.setAutoStartup(true);
        context.start();
        return context;
    }

    private static List<Exchange> delivered(DefaultCamelContext context) {
        return context.getEndpoint("mock:delivered", MockEndpoint.class).getReceivedExchanges();
    }

    private static Object record(DefaultCamelContext context, String body) {
        Exchange record = new DefaultExchange(context);
        record.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        record.getMessage().setHeader("kafka.TOPIC", "t");
        return record;
    }

    /** A replayed dead letter, its target header as camel-kafka gives it: bytes. */
    private static Object replayed(DefaultCamelContext context, String body, String route) {
        Object record = record(context, body);
        ((Exchange) record).getMessage().setHeader("x-replay-route", route.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
