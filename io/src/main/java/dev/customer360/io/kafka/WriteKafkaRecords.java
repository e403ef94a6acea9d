package dev.customer360.io.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes keyed JSON records to a topic with the producer settings production expects: idempotent
 * producer, {@code acks=all}, lz4 compression; with {@code exactlyOnce}, in transactions that
 * survive restores ({@link WriteKafkaExactlyOnce}).
 */
public final class WriteKafkaRecords extends PTransform<PCollection<KV<String, String>>, PDone> {
  private final KafkaCluster cluster;
  private final String topic;
  private final boolean exactlyOnce;
  private final String sinkGroupId;

  public WriteKafkaRecords(
      KafkaCluster cluster, String topic, boolean exactlyOnce, String sinkGroupId) {
    this.cluster = cluster;
    this.topic = topic;
    this.exactlyOnce = exactlyOnce;
    this.sinkGroupId = sinkGroupId;
  }

  /** The producer settings (the cluster's extra settings, added at creation, win). */
  static Map<String, Object> producerConfig(KafkaCluster cluster) {
    Map<String, Object> producer = new HashMap<>();
    producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer.put(ProducerConfig.ACKS_CONFIG, "all");
    producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    producer.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    return producer;
  }

  @Override
  public PDone expand(PCollection<KV<String, String>> records) {
    if (exactlyOnce) {
      return records.apply(
          "Write " + topic + " exactly once",
          new WriteKafkaExactlyOnce(cluster, topic, sinkGroupId + "-" + topic));
    }
    KafkaIO.Write<String, String> write =
        KafkaIO.<String, String>write()
            .withBootstrapServers(cluster.bootstrapServers())
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class)
            .withProducerConfigUpdates(producerConfig(cluster))
            .withProducerFactoryFn(cluster.<String, String>producerFactory());
    return records.apply("Write " + topic, write);
  }
}
