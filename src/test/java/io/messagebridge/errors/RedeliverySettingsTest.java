package io.messagebridge.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import io.messagebridge.config.InvalidSettingException;
import io.messagebridge.config.Settings;
import io.messagebridge.routes.OrdersToKafkaRoute;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
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
    void aYamlRouteGetsItsOwnPolicyToo() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties properties = new Properties();
            properties.putAll(SHARED);
            properties.put("bridge.redelivery.orders-audit.maximum-redeliveries", "7");
            context.getPropertiesComponent().setInitialProperties(properties);
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
            model.addModelLifecycleStrategy(new PerRouteRedelivery(context));
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(context, "file:routes/orders-audit.yaml"));

            DefaultErrorHandlerDefinition handler = (DefaultErrorHandlerDefinition) model
                    .getRouteDefinition("orders-audit").getErrorHandlerFactory();
            assertThat(handler.getRedeliveryPolicy().getMaximumRedeliveries()).isEqualTo("7");
            assertThat(handler.getRedeliveryPolicy().getRedeliveryDelay()).isEqualTo("500");
        }
    }

    @Test
    void theJavaRouteUsesItsOwnPolicy() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties properties = new Properties();
            properties.putAll(SHARED);
            properties.put("bridge.redelivery.orders-to-kafka.maximum-redeliveries", "3");
            properties.put("bridge.redelivery.orders-to-kafka.maximum-delay-ms", "1000");
            context.getPropertiesComponent().setInitialProperties(properties);
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            context.addRoutes(new OrdersToKafkaRoute());

            DefaultErrorHandlerDefinition handler = (DefaultErrorHandlerDefinition) context
                    .getCamelContextExtension().getContextPlugin(Model.class)
                    .getRouteDefinition("orders-to-kafka").getErrorHandlerFactory();
            assertThat(handler.getRedeliveryPolicy().getMaximumRedeliveries()).isEqualTo("3");
            assertThat(handler.getRedeliveryPolicy().getMaximumRedeliveryDelay()).isEqualTo("1000");
            assertThat(handler.getRedeliveryPolicy().getRedeliveryDelay()).isEqualTo("500");
        }
    }
}
