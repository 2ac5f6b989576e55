package io.messagebridge.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Kafka topic, written with acks=all and the idempotent producer: each record with its key, headers and timestamp,
 * so that its key picks its partition there and records of one key keep their order.
 */
final class TopicDestination implements Destination {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    TopicDestination(Map<String, Object> kafkaClient, String topic) {
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.putAll(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    @Override
    public List<Undelivered> send(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            sends.add(producer.send(new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value(),
                    record.headers())));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
        return List.of();
    }

    @Override
    public void close() {
        producer.close();
    }
}
