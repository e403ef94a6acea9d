package dev.customer360.io.kafka;

import dev.customer360.io.RawRecords;
import dev.customer360.transforms.values.RawRecord;
import dev.customer360.transforms.values.RawRecordCoder;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads one raw topic: each record's value is one raw JSON record. Records go on event time as read
 * from their content; the watermark trails the newest event time by {@code maxOutOfOrderness},
 * never passes processing time minus it, and on a partition with nothing new to read follows
 * processing time (see {@link EventTimePolicy}). A record claiming a time more than {@code
 * maxFutureSkew} after its Kafka timestamp keeps that Kafka timestamp and does not move the
 * watermark. Values are decoded as strict UTF-8: a value that is not comes out {@link
 * RawRecord#unreadable}, for the parse step to dead-letter, naming its topic, partition and offset.
 * Every record carries them as its origin, {@code kafka:<topic>/<partition>@<offset>}.
 *
 * <p>A stream commits the consumer group's offsets when Beam finalizes a checkpoint (on Flink: once
 * every step has checkpointed, so after the sinks wrote), and a restarted job continues where it
 * left off. A bounded read ({@code maxRecords}/{@code maxReadTime}) commits nothing: Beam would
 * finalize it right after reading, before any sink wrote. It counts the last offset read of each
 * partition instead ({@link #offsetsRead}), and the job commits them after it succeeded.
 */
public final class ReadKafkaRecords extends PTransform<PBegin, PCollection<RawRecord>> {
  private final KafkaCluster cluster;
  private final String topic;
  private final String groupId;
  private final SerializableFunction<String, Instant> eventTime;
  private final Duration maxOutOfOrderness;
  private final Duration maxFutureSkew;
  private final long maxRecords;
  private final Duration maxReadTime;
  private final @Nullable Duration partitionDiscovery;

  /**
   * @param partitionDiscovery how often to look for partitions added to the topic, read from their
   *     start ({@code null}: never). KafkaIO does this only in its splittable read, so that is the
   *     read used then.
   */
  public ReadKafkaRecords(
      KafkaCluster cluster,
      String topic,
      String groupId,
      SerializableFunction<String, Instant> eventTime,
      Duration maxOutOfOrderness,
      Duration maxFutureSkew,
      long maxRecords,
      Duration maxReadTime,
      @Nullable Duration partitionDiscovery) {
    this.cluster = cluster;
    this.topic = topic;
    this.groupId = groupId;
    this.eventTime = eventTime;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.maxFutureSkew = maxFutureSkew;
    this.maxRecords = maxRecords;
    this.maxReadTime = maxReadTime;
    this.partitionDiscovery = partitionDiscovery;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    Map<String, Object> consumer = new HashMap<>();
    consumer.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    SerializableFunction<String, Instant> eventTime = this.eventTime;
    Duration delay = maxOutOfOrderness;
    Duration futureSkew = maxFutureSkew;
    KafkaIO.Read<String, byte[]> read =
        KafkaIO.<String, byte[]>read()
            .withBootstrapServers(cluster.bootstrapServers())
            .withTopic(topic)
            .withKeyDeserializer(StringDeserializer.class)
            // Bytes, decoded strictly below: a StringDeserializer would replace invalid bytes.
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(consumer)
            .withConsumerFactoryFn(cluster.consumerFactory())
            .withTimestampPolicyFactory(
                (partition, previousWatermark) ->
                    new EventTimePolicy(eventTime, delay, futureSkew, previousWatermark));
    if (partitionDiscovery != null) {
      read = read.withDynamicRead(partitionDiscovery);
    }
    if (maxRecords > 0) {
      read = read.withMaxNumRecords(maxRecords);
    }
    if (maxReadTime != null) {
      read = read.withMaxReadTime(maxReadTime);
    }
    boolean bounded = maxRecords > 0 || maxReadTime != null;
    return begin
        .apply("Read " + topic, bounded ? read : read.commitOffsetsInFinalize())
        .apply("DecodeValues", ParDo.of(new DecodeFn(bounded)))
        .setCoder(RawRecordCoder.of());
  }

  /** Metric namespace of the last offset read per partition: {@code <topic>/<partition>}. */
  static final String OFFSETS = "customer360-kafka-offsets";

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

  /**
   * Event time only: a value that is not UTF-8 is dead-lettered by {@link DecodeFn}, and its time
   * read with replacement characters is as good as any.
   */
  static String lenientText(byte[] value) {
    return value == null ? "" : new String(value, StandardCharsets.UTF_8);
  }

  /**
   * A record's value as strict UTF-8 text, or as {@link RawRecord#unreadable} saying where it is
   * and what is wrong.
   */
  static final class DecodeFn extends DoFn<KafkaRecord<String, byte[]>, RawRecord> {
    private final boolean countOffsets;
    private transient Map<String, Distribution> offsets;
    private transient CharsetDecoder decoder;
    private final int[] invalidAt = new int[1];

    /** The origin prefix of each partition of {@link #topic} read so far, by partition. */
    private transient String[] originPrefixes;

    private transient String topic;

    DecodeFn(boolean countOffsets) {
      this.countOffsets = countOffsets;
    }

    @Setup
    public void setup() {
      decoder = RawRecords.strictUtf8();
      offsets = new HashMap<>();
      originPrefixes = new String[0];
    }

    @ProcessElement
    public void process(
        @Element KafkaRecord<String, byte[]> record, OutputReceiver<RawRecord> out) {
      if (countOffsets) {
        // A bounded run commits these offsets itself once it has succeeded.
        offsets
            .computeIfAbsent(
                record.getTopic() + "/" + record.getPartition(),
                name -> Metrics.distribution(OFFSETS, name))
            .update(record.getOffset());
      }
      byte[] value = record.getKV().getValue();
      if (value == null) {
        // A tombstone (null value) is an empty record: dead-lettered by the parse step, not lost.
        out.output(at(record, ""));
        return;
      }
      String text = RawRecords.decode(decoder, value, 0, value.length, invalidAt);
      if (text != null) {
        out.output(at(record, text));
        return;
      }
      out.output(
          at(record, RawRecords.escaped(value, 0, value.length))
              .unreadable(
                  RawRecords.notUtf8(
                      "the record at topic "
                          + record.getTopic()
                          + ", partition "
                          + record.getPartition()
                          + ", offset "
                          + record.getOffset(),
                      value,
                      invalidAt[0],
                      "value")));
    }

    /** {@code text} with the record's topic, partition and offset as its origin. */
    private RawRecord at(KafkaRecord<String, byte[]> record, String text) {
      // Partitions interleave record by record: each one's prefix is made once.
      int partition = record.getPartition();
      if (!record.getTopic().equals(topic)) {
        topic = record.getTopic();
        originPrefixes = new String[0];
      }
      if (partition >= originPrefixes.length) {
        originPrefixes = Arrays.copyOf(originPrefixes, partition + 1);
      }
      if (originPrefixes[partition] == null) {
        originPrefixes[partition] = RawRecord.kafkaOffsetOf(topic, partition);
      }
      return RawRecord.at(text, originPrefixes[partition], record.getOffset());
    }
  }
}
