package io.messagebridge.kafkaserver;

import sun.misc.Signal;

/**
 * The entry point of the broker's JVM: {@code KafkaServerMain <parent pid> <server.properties>} runs Kafka's own
 * {@code kafka.Kafka} and stops it, the orderly way, once the parent process is gone, however it ended (SIGKILL
 * included), so that no broker outlives the application or test JVM that started it.
 */
public final class KafkaServerMain {

    private KafkaServerMain() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        ProcessHandle parent = ProcessHandle.of(Long.parseLong(args[0])).orElse(null);
        if (parent == null) {
            return;
        }
        // Ctrl+C reaches every process of the terminal's group, this one too; the application's graceful stop still
        // writes to this broker, and the application stops it (SIGTERM) once it is done with it.
        Signal.handle(new Signal("INT"), signal -> { });
        // System.exit runs Kafka's shutdown hook, as SIGTERM would
        parent.onExit().thenRun(() -> System.exit(0));
        // by name: the Kafka server jars are on this JVM's class path only, never on the application's
        Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) new String[] {args[1]});
    }
}
