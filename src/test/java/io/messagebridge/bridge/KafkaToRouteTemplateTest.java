package io.messagebridge.bridge;

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
 * batch would be committed with the records after it never delivered).
 */
class KafkaToRouteTemplateTest {

    @Test
    void aDeadLetteredRecordDoesNotStopTheRestOfTheBatch() throws Exception {
        try (DefaultCamelContext context = OfflineContext.create("classpath:application.properties", new Properties(),
                List.of(new RouteBuilder() {
                    @Override
                    public void configure() {
                        templatedRoute(BridgeTemplates.KAFKA_TO_ROUTE).routeId("source")
                                .parameter("topic", "t").parameter("group", "g").parameter("to", "direct:records");
                        from("direct:records").routeId("records").routeConfigurationId("bridge")
                                .setHeader("kafka.KEY").language("jsonfield", "id")
                                .to("mock:delivered");
                    }
                }))) {
            // the batch as camel-kafka hands it over, without the commit step (no real consumer to commit with)
            RouteDefinition source = context.getRouteDefinition("source");
            source.getInput().setUri("direct:batch");
            source.getOutputs().remove(source.getOutputs().stream().filter(ProcessDefinition.class::isInstance)
                    .findFirst().orElseThrow());
            ProcessorDefinitionHelper.filterTypeInOutputs(context.getRouteDefinition("dead-letter").getOutputs(),
                    ToDefinition.class).forEach(to -> to.setUri("mock:dead"));
            context.setAutoStartup(true);
            context.start();
            MockEndpoint delivered = context.getEndpoint("mock:delivered", MockEndpoint.class);
            MockEndpoint dead = context.getEndpoint("mock:dead", MockEndpoint.class);

            List<Object> batch = List.of(
                    record(context, "{\"id\":\"a\"}"), record(context, "{\"no\":\"id\"}"), record(context, "{\"id\":\"c\"}"));
            context.createProducerTemplate().sendBody("direct:batch", batch);

            assertThat(delivered.getReceivedExchanges()).extracting(e -> e.getMessage().getHeader("kafka.KEY"))
                    .containsExactly("a", "c");
            assertThat(dead.getReceivedCounter()).isEqualTo(1);
        }
    }

    private static Object record(DefaultCamelContext context, String body) {
        Exchange record = new DefaultExchange(context);
        record.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        record.getMessage().setHeader("kafka.TOPIC", "t");
        return record;
    }
}
