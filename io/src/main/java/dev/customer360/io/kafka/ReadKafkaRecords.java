package dev.customer360.io.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
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
 * watermark.
 *
 * <p>A stream commits the consumer group's offsets when Beam finalizes a checkpoint (on Flink: once
 * every step has checkpointed, so after the sinks wrote), and a restarted job continues where it
 * left off. A bounded read ({@code maxRecords}/{@code maxReadTime}) commits nothing: Beam would
 * finalize it right after reading, before any sink wrote. It counts the last offset read of each
 * partition instead ({@link #offsetsRead}), and the job commits them after it succeeded.
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
    Map<String, Object> consumer = new HashMap<>();
    consumer.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
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
            .withConsumerFactoryFn(cluster.consumerFactory())
            .withTimestampPolicyFactory(
                (partition, previousWatermark) ->
                    new EventTimePolicy(eventTime, delay, futureSkew, previousWatermark));
    if (maxRecords > 0) {
      read = read.withMaxNumRecords(maxRecords);
    }
    if (maxReadTime != null) {
      read = read.withMaxReadTime(maxReadTime);
    }
    if (maxRecords <= 0 && maxReadTime == null) {
      return begin
          .apply("Read " + topic, read.commitOffsetsInFinalize().withoutMetadata())
          .apply(
              "RecordValues",
              MapElements.into(TypeDescriptors.strings())
                  // A tombstone (null value) is an empty record: dead-lettered, not lost.
                  .via((KV<String, String> kv) -> Optional.ofNullable(kv.getValue()).orElse("")));
    }
    return begin.apply("Read " + topic, read).apply("CountOffsetsRead", ParDo.of(new ValuesFn()));
  }

  /** Metric namespace of the last offset read per partition: {@code <topic>/<partition>}. */
  static final String OFFSETS = "customer360-kafka-offsets";

  /** The record's value; the offset read is kept as the partition's metric. */
  static final class ValuesFn extends DoFn<KafkaRecord<String, String>, String> {
    private final Map<String, Distribution> offsets = new HashMap<>();

    @ProcessElement
    public void process(@Element KafkaRecord<String, String> record, OutputReceiver<String> out) {
      offsets
          .computeIfAbsent(
              record.getTopic() + "/" + record.getPartition(),
              name -> Metrics.distribution(OFFSETS, name))
          .update(record.getOffset());
      // A tombstone (null value) is an empty record: dead-lettered, not lost.
      out.output(Optional.ofNullable(record.getKV().getValue()).orElse(""));
    }
  }

  /**
   * The last offset a bounded run read, per topic and partition, from the run's metrics (the
   * highest attempted value: a retried bundle reads the same offsets again).
   */
  public static Map<String, Map<Integer, Long>> offsetsRead(MetricResults metrics) {
    Map<String, Map<Integer, Long>> read = new TreeMap<>();
    MetricQueryResults results =
        metrics.queryMetrics(
            MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(OFFSETS)).build());
    for (MetricResult<DistributionResult> d : results.getDistributions()) {
      String name = d.getName().getName();
      int slash = name.lastIndexOf('/');
      DistributionResult value = d.getAttempted();
      if (slash < 0 || value == null || value.getCount() == 0) {
        continue;
      }
      read.computeIfAbsent(name.substring(0, slash), t -> new TreeMap<>())
          .merge(Integer.parseInt(name.substring(slash + 1)), value.getMax(), Math::max);
    }
    return read;
  }
}
