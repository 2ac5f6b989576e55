package io.messagebridge.harness;

import java.nio.file.Path;

/**
 * Runs the test harness's real Kafka broker (KRaft, single node) in the foreground for local development, on
 * port 9092 (or the first argument) with its data under target/local-kafka, kept between runs.
 */
public final class LocalKafka {

    private LocalKafka() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9092;
        KafkaBroker broker = new KafkaBroker(Path.of("target", "local-kafka"), port);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
        broker.start();
        System.out.println("Kafka (KRaft) is ready at " + broker.bootstrapServers()
                + "; data in target/local-kafka. Press Ctrl+C to stop it.");
        Thread.currentThread().join();
    }
}
