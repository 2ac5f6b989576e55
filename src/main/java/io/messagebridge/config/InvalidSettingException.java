package io.messagebridge.config;

import java.util.Locale;

/** A property with a value the application cannot use; its message is the one line an operator needs. */
public class InvalidSettingException extends IllegalArgumentException {

    public InvalidSettingException(String key, String value, String problem) {
        super("invalid setting " + key + "=" + (value == null ? "(missing)" : "'" + value + "'") + ": " + problem
                + "; set " + key + " in application.properties or the environment variable " + environmentName(key));
    }

    /** Camel's properties component maps a key to an environment variable this way (foo.bar-baz: FOO_BAR_BAZ). */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
