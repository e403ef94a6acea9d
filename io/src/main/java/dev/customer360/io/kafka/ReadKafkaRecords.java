package dev.customer360.io.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads one raw topic: each record's value is one raw JSON record. Records go on event time as read
 * from their content; the watermark trails the newest event time by {@code maxOutOfOrderness},
 * never passes processing time minus it, and on a partition with nothing new to read follows
 * processing time (see {@link EventTimePolicy}). A record claiming a time more than {@code
 * maxFutureSkew} after its Kafka timestamp keeps that Kafka timestamp and does not move the
 * watermark. Offsets are committed for the consumer group when Beam finalizes a checkpoint, so a
 * restarted job continues where it left off.
 */
public final class ReadKafkaRecords extends PTransform<PBegin, PCollection<String>> {
  private final KafkaCluster cluster;
  private final String topic;
  private final String groupId;
  private final SerializableFunction<String, Instant> eventTime;
  private final Duration maxOutOfOrderness;
  private final Duration maxFutureSkew;
  private final long maxRecords;
  private final Duration maxReadTime;

  public ReadKafkaRecords(
      KafkaCluster cluster,
      String topic,
      String groupId,
      SerializableFunction<String, Instant> eventTime,
      Duration maxOutOfOrderness,
      Duration maxFutureSkew,
      long maxRecords,
      Duration maxReadTime) {
    this.cluster = cluster;
    this.topic = topic;
    this.groupId = groupId;
    this.eventTime = eventTime;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.maxFutureSkew = maxFutureSkew;
    this.maxRecords = maxRecords;
    this.maxReadTime = maxReadTime;
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    Map<String, Object> consumer = new HashMap<>(cluster.properties());
    consumer.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    SerializableFunction<String, Instant> eventTime = this.eventTime;
    Duration delay = maxOutOfOrderness;
    Duration futureSkew = maxFutureSkew;
    KafkaIO.Read<String, String> read =
        KafkaIO.<String, String>read()
            .withBootstrapServers(cluster.bootstrapServers())
            .withTopic(topic)
            .withKeyDeserializer(StringDeserializer.class)
            .withValueDeserializer(StringDeserializer.class)
            .withConsumerConfigUpdates(consumer)
            .commitOffsetsInFinalize()
            .withTimestampPolicyFactory(
                (partition, previousWatermark) ->
                    new EventTimePolicy(eventTime, delay, futureSkew, previousWatermark));
    if (maxRecords > 0) {
      read = read.withMaxNumRecords(maxRecords);
    }
    if (maxReadTime != null) {
      read = read.withMaxReadTime(maxReadTime);
    }
    return begin
        .apply("Read " + topic, read.withoutMetadata())
        .apply(
            "RecordValues",
            MapElements.into(TypeDescriptors.strings())
                // A tombstone (null value) is an empty record: dead-lettered, not lost.
                .via((KV<String, String> kv) -> Optional.ofNullable(kv.getValue()).orElse("")));
  }
}
