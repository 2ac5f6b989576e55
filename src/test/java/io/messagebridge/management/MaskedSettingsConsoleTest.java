package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The settings consoles' JSON (Camel JBang's status file, /q/dev) shows no secret of the application's settings. */
class MaskedSettingsConsoleTest {

    @Test
    void everyPasswordOrJaasSettingOfTheApplicationIsASecretAndTheOthersAreNot() throws IOException {
        Properties settings = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            settings.load(in);
        }

        assertThat(settings.stringPropertyNames()).filteredOn(key -> key.contains("password") || key.contains("jaas"))
                .hasSizeGreaterThan(5).allMatch(MaskedSettingsConsole::isSecret);
        assertThat(MaskedSettingsConsole.isSecret("bridge.kafka.sasl-jaas-config")).isTrue();
        assertThat(MaskedSettingsConsole.isSecret("camel.component.kafka.saslJaasConfig")).isTrue();
        assertThat(MaskedSettingsConsole.isSecret("rabbitmq.host")).isFalse();
        assertThat(MaskedSettingsConsole.isSecret("bridge.orders.topic")).isFalse();
    }

    @Test
    void theValuesOfSecretsAreMaskedAtAnyDepthAndTheRestIsLeftAlone() {
        JsonObject password = entry("rabbitmq.password", "s3cret");
        password.put("originalValue", "{{env:RABBITMQ_PASSWORD:guest}}");
        password.put("defaultValue", "guest");
        JsonObject topic = entry("bridge.orders.topic", "orders");
        JsonObject root = new JsonObject();
        root.put("properties", new JsonArray(List.of(password, topic)));
        JsonObject nested = new JsonObject();
        nested.put("configurations", new JsonArray(List.of(entry("camel.component.kafka.saslJaasConfig",
                "PlainLoginModule required password=\"x\";"))));
        root.put("main-configuration", nested);

        MaskedSettingsConsole.mask(root);

        assertThat(root.toJson()).doesNotContain("s3cret", "guest", "PlainLoginModule").contains("\"orders\"");
        assertThat(password).containsEntry("key", "rabbitmq.password").containsEntry("value", "xxxxxx")
                .containsEntry("originalValue", "xxxxxx").containsEntry("defaultValue", "xxxxxx");
        assertThat(topic).containsEntry("value", "orders");
    }

    private static JsonObject entry(String key, String value) {
        JsonObject entry = new JsonObject();
        entry.put("key", key);
        entry.put("value", value);
        return entry;
    }
}
