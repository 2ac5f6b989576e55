package io.messagebridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandsTest {

    @Test
    void theListHasALineForEachFormOfEachCommandWithWhatItDoes() {
        assertThat(Commands.list().lines()).containsExactly(
                "usage: java -jar rabbitmq-kafka-bridge.jar [command]",
                "  (no command)                                                                   runs the bridge; camel-main's options (-h) go here",
                "  dev                                                                            runs the bridge in the dev profile: route files reload, and a Kafka of its own starts when none answers on this machine",
                "  help                                                                           lists these commands",
                "  send exchange <exchange> <routing key> [--message-id ID] <body|@file|->        publishes one persistent message, mandatory, and waits for RabbitMQ's confirm",
                "  send topic <topic> [--key KEY] [--message-id ID] <body|@file|->                writes one record and waits for all in-sync replicas (acks=all)",
                "  tail exchange <exchange> <binding key>...                                      prints what the exchange routes with those keys, until Ctrl+C",
                "  tail topic <topic> [--from-beginning]                                          prints the topic's records as they arrive (or all of them), until Ctrl+C",
                "  replay queue|topic <source queue or topic> [max]                               moves dead letters back to their source, oldest first",
                "  replay-range topic <topic> --from <when> [--to <when>] --into topic <name>     sends a stretch of the topic's history (when: ISO-8601, earliest or offsets) to a topic, then stops; --dry-run, --max-rate <records/s>",
                "  replay-range ... --into exchange <name> --routing-key <pattern>|--route <id>   the same into an exchange, with a routing-key pattern or that of a route",
                "  validate [routes folder]                                                       checks the route files as the bridge would load them; connects to no broker");
    }
}
