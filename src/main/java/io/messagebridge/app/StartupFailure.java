package io.messagebridge.app;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import io.messagebridge.config.InvalidSettingException;
import io.messagebridge.core.RootCause;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/** Turns an exception that stopped start-up into the one line an operator needs, with the stack trace at debug. */
final class StartupFailure {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private StartupFailure() {
    }

    static void report(Throwable failure) {
        LOG.error("Start-up failed: {}", describe(failure));
        LOG.debug("Start-up failure in full", failure);
    }

    static String describe(Throwable failure) {
        InvalidSettingException setting = ObjectHelper.getException(InvalidSettingException.class, failure);
        if (setting != null) {
            return setting.getMessage();
        }
        PropertyBindingException binding = ObjectHelper.getException(PropertyBindingException.class, failure);
        if (binding != null) {
            return "invalid value '" + binding.getValue() + "' for " + binding.getPropertyName()
                    + " (" + RootCause.message(binding) + "); fix it in application.properties or the environment";
        }
        ResolveEndpointFailedException endpoint = ObjectHelper.getException(ResolveEndpointFailedException.class, failure);
        if (endpoint != null) {
            return "endpoint " + endpoint.getUri() + " is invalid: " + RootCause.message(endpoint);
        }
        MarkedYamlEngineException yaml = ObjectHelper.getException(MarkedYamlEngineException.class, failure);
        if (yaml != null && yaml.getProblemMark().isPresent()) {
            Mark mark = yaml.getProblemMark().get();
            String file = mark.getName().startsWith("file:") ? mark.getName().substring(5) : mark.getName();
            return "route file " + file + ":" + (mark.getLine() + 1) + ": " + yaml.getProblem()
                    + " (java -jar rabbitmq-kafka-bridge.jar validate lists every problem)";
        }
        ShutdownSignalException closed = ObjectHelper.getException(ShutdownSignalException.class, failure);
        if (closed != null && closed.getReason() instanceof AMQP.Channel.Close channel) {
            return "RabbitMQ refused: " + channel.getReplyText();
        }
        if (closed != null && closed.getReason() instanceof AMQP.Connection.Close connection) {
            return "RabbitMQ closed the connection: " + connection.getReplyText();
        }
        NoSuchFileException missing = ObjectHelper.getException(NoSuchFileException.class, failure);
        if (missing != null) {
            return "file or folder not found: " + Path.of(missing.getFile()).toAbsolutePath()
                    + " (YAML routes are read from camel.main.routes-include-pattern, relative to the working directory)";
        }
        return RootCause.message(failure);
    }

}
