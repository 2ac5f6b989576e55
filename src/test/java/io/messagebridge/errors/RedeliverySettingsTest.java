package io.messagebridge.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.messagebridge.config.InvalidSettingException;
import io.messagebridge.config.Settings;
import io.messagebridge.routefiles.OfflineContext;
import io.messagebridge.routes.OrdersToKafkaRoute;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.junit.jupiter.api.Test;

class RedeliverySettingsTest {

    private static final Map<String, String> SHARED = Map.of(
            "bridge.redelivery.maximum-redeliveries", "10",
            "bridge.redelivery.initial-delay-ms", "500",
            "bridge.redelivery.backoff-multiplier", "2",
            "bridge.redelivery.maximum-delay-ms", "30000",
            "bridge.redelivery.retry-log-level", "debug");

    @Test
    void aRouteTakesItsOwnValuesAndTheSharedOnesForTheRest() {
        Map<String, String> values = new HashMap<>(SHARED);
        values.put("bridge.redelivery.orders-to-kafka.maximum-redeliveries", "-1");
        values.put("bridge.redelivery.orders-to-kafka.retry-log-level", "WARN");
        Settings settings = new Settings(values::get);

        assertThat(RedeliverySettings.forRoute(settings, "orders-to-kafka"))
                .isEqualTo(new RedeliverySettings(-1, 500, 2.0, 30_000, "WARN"));
        assertThat(RedeliverySettings.forRoute(settings, "shipments-to-rabbitmq"))
                .isEqualTo(new RedeliverySettings(10, 500, 2.0, 30_000, "DEBUG"));
        assertThat(RedeliverySettings.shared(settings)).isEqualTo(new RedeliverySettings(10, 500, 2.0, 30_000, "DEBUG"));
    }

    @Test
    void theRetryBudgetIsEveryAttemptAndEveryBackOff() {
        Settings settings = new Settings(SHARED::get);
        // 11 attempts of 120 s, and 0.5 + 1 + 2 + 4 + 8 + 16 s, then 30 s four times
        assertThat(RedeliverySettings.shared(settings).budgetMillis(120_000)).isEqualTo(11 * 120_000 + 151_500);
        assertThat(new RedeliverySettings(0, 500, 2, 30_000, "DEBUG").budgetMillis(1_000)).isEqualTo(1_000);
        assertThat(new RedeliverySettings(-1, 500, 2, 30_000, "DEBUG").budgetMillis(1_000)).isEqualTo(Long.MAX_VALUE);
        assertThat(new RedeliverySettings(Integer.MAX_VALUE, 500, 2, 30_000, "DEBUG").budgetMillis(1_000))
                .isGreaterThan(30_000L * Integer.MAX_VALUE);
    }

    @Test
    void aKafkaFedRouteWhoseRetriesOutlastItsPollIntervalDoesNotStart() throws Exception {
        Properties properties = new Properties();
        properties.putAll(SHARED);
        properties.put("bridge.rabbitmq.confirm-timeout-ms", "30000");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(properties);
            context.addLifecycleStrategy(new RetryBudgetCheck(Settings.of(context)));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kafka:orders?brokers=127.0.0.1:1&maxPollIntervalMs=1200000").routeId("orders-source")
                            .log("never");
                }
            });
            assertThatThrownBy(context::start).rootCause().isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("invalid setting bridge.redelivery.orders-source.maximum-redeliveries='10': "
                            + "route orders-source may retry a batch for 24 min 31 s, longer than its poll interval "
                            + "(maxPollIntervalMs, 20 min 0 s)");
        }
    }

    @Test
    void aBadRouteValueNamesTheRouteKey() {
        Map<String, String> values = new HashMap<>(SHARED);
        values.put("bridge.redelivery.orders-to-kafka.backoff-multiplier", "fast");
        assertThatThrownBy(() -> RedeliverySettings.forRoute(new Settings(values::get), "orders-to-kafka"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("bridge.redelivery.orders-to-kafka.backoff-multiplier='fast'")
                .hasMessageContaining("BRIDGE_REDELIVERY_ORDERS_TO_KAFKA_BACKOFF_MULTIPLIER");
        values.put("bridge.redelivery.orders-to-kafka.backoff-multiplier", "2");
        values.put("bridge.redelivery.retry-log-level", "LOUD");
        assertThatThrownBy(() -> RedeliverySettings.forRoute(new Settings(values::get), "orders-to-kafka"))
                .hasMessageContaining("expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }

    @Test
    void aTemplatedYamlRouteGetsItsOwnPolicyToo() throws Exception {
        Properties properties = new Properties();
        properties.put("bridge.redelivery.orders-audit.maximum-redeliveries", "7");
        try (DefaultCamelContext context = OfflineContext.create("classpath:application.properties", properties, List.of())) {
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(context, "file:routes/orders-audit.yaml"));

            DefaultErrorHandlerDefinition handler = errorHandler(context, "orders-audit");
            assertThat(handler.getRedeliveryPolicy().getMaximumRedeliveries()).isEqualTo("7");
            assertThat(handler.getRedeliveryPolicy().getRedeliveryDelay()).isEqualTo("500");
        }
    }

    @Test
    void theJavaRouteUsesItsOwnPolicy() throws Exception {
        Properties properties = new Properties();
        properties.put("bridge.redelivery.orders-to-kafka.maximum-redeliveries", "3");
        properties.put("bridge.redelivery.orders-to-kafka.maximum-delay-ms", "1000");
        try (DefaultCamelContext context = OfflineContext.create("classpath:application.properties", properties,
                List.of(new OrdersToKafkaRoute()))) {
            context.start();
            DefaultErrorHandlerDefinition handler = errorHandler(context, "orders-to-kafka");
            assertThat(handler.getRedeliveryPolicy().getMaximumRedeliveries()).isEqualTo("3");
            assertThat(handler.getRedeliveryPolicy().getMaximumRedeliveryDelay()).isEqualTo("1000");
            assertThat(handler.getRedeliveryPolicy().getRedeliveryDelay()).isEqualTo("500");
            // its retries wait on a timer, not on a thread that completes Kafka sends
            assertThat(handler.getRedeliveryPolicy().getAsyncDelayedRedelivery()).isEqualTo("true");
        }
    }

    @Test
    void aRouteThatNamesNoRouteConfigurationGetsTheFallbackAndTheDeadLetterRouteNeither() throws Exception {
        try (DefaultCamelContext context = OfflineContext.create("classpath:application.properties", new Properties(),
                List.of(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("seda:plain").routeId("plain").to("mock:out");
                        from("direct:called").routeId("called").to("mock:out");
                    }
                }))) {
            context.start();
            assertThat(errorHandler(context, "plain").getRedeliveryPolicy().getMaximumRedeliveries()).isEqualTo("10");
            // a route another one calls is retried by its caller, from the step that called it
            assertThat(errorHandler(context, "called").getRedeliveryPolicy().getMaximumRedeliveries()).isEqualTo("0");
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
            assertThat(model.getRouteDefinition("plain").getAppliedRouteConfigurationIds()).containsExactly("<default>");
            assertThat(model.getRouteDefinition("plain").getOutputs()).hasAtLeastOneElementOfType(OnExceptionDefinition.class);
            assertThat(model.getRouteDefinition("dead-letter").getOutputs()).noneMatch(OnExceptionDefinition.class::isInstance);
        }
    }

    private static DefaultErrorHandlerDefinition errorHandler(DefaultCamelContext context, String routeId) {
        return (DefaultErrorHandlerDefinition) context.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinition(routeId).getErrorHandlerFactory();
    }
}
