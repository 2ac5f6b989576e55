package io.messagebridge.management;

import java.util.Locale;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.impl.console.PropertiesDevConsole;
import org.apache.camel.main.MainConfigurationDevConsole;
import org.apache.camel.util.SensitiveUtils;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * Camel's developer consoles that list settings ({@code properties}, {@code main-configuration}), with the value of
 * every secret (passwords, the SASL JAAS line...) replaced by xxxxxx in their JSON as in their text. Camel 4.17 masks
 * only the text; the JSON is what camel-cli-connector writes to ~/.camel/&lt;pid&gt;-status.json once a second and
 * what /q/dev answers a JSON request with. {@link #install} registers these before Camel loads its own consoles, so
 * that the registry keeps them under the consoles' ids (and camel-main, which adds to main-configuration, finds the
 * type it expects).
 */
final class MaskedSettingsConsole {

    static final String MASK = "xxxxxx";
    private static final String[] VALUES = {"value", "originalValue", "defaultValue"};

    private MaskedSettingsConsole() {
    }

    /** Does nothing without camel-console on the class path (no registry). */
    static void install(CamelContext context) {
        DevConsoleRegistry registry = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class);
        if (registry != null) {
            registry.register(new Properties());
            registry.register(new MainConfiguration());
        }
    }

    /** Whether a setting's value is a secret, by the last part of its key: Camel's list, and any password or secret. */
    static boolean isSecret(String key) {
        String name = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return SensitiveUtils.containsSensitive(key) || name.contains("password") || name.contains("secret");
    }

    /** Masks the values of every {"key": ..., "value": ...} entry with a secret's key, at any depth. */
    @SuppressWarnings("unchecked")
    static void mask(Object json) {
        if (json instanceof Map<?, ?> object) {
            if (object.get("key") instanceof String key && isSecret(key)) {
                for (String value : VALUES) {
                    if (object.containsKey(value)) {
                        ((Map<String, Object>) object).put(value, MASK);
                    }
                }
            }
            object.values().forEach(MaskedSettingsConsole::mask);
        } else if (json instanceof JsonArray array) {
            array.forEach(MaskedSettingsConsole::mask);
        }
    }

    static final class Properties extends PropertiesDevConsole {
        @Override
        protected JsonObject doCallJson(Map<String, Object> options) {
            JsonObject json = super.doCallJson(options);
            mask(json);
            return json;
        }
    }

    static final class MainConfiguration extends MainConfigurationDevConsole {
        @Override
        protected Map<String, Object> doCallJson(Map<String, Object> options) {
            Map<String, Object> json = super.doCallJson(options);
            mask(json);
            return json;
        }
    }
}
