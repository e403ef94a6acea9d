package dev.customer360.io.kafka;

import dev.customer360.transforms.DurationOption;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Kafka as source and sink. */
public interface KafkaOptions extends PipelineOptions {
  @Description("Kafka bootstrap servers, e.g. localhost:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topic of raw call-log records (JSON values)")
  @Default.String("call_log")
  String getCallLogTopic();

  void setCallLogTopic(String value);

  @Description("Topic of raw clickstream records (JSON values)")
  @Default.String("clickstream")
  String getClickstreamTopic();

  void setClickstreamTopic(String value);

  @Description(
      "Topic of a source without a flag of its own, as <source>=<topic>; repeat for more sources."
          + " Default: the topic named like the source")
  List<String> getTopic();

  void setTopic(List<String> value);

  @Description(
      "Consumer group; its committed offsets let a restarted job continue where it left off")
  @Default.String("customer360")
  String getGroupId();

  void setGroupId(String value);

  @Description(
      "Stop after this many records per topic (0 = read forever): a bounded run for tests and"
          + " backfills")
  @Default.Long(0)
  long getMaxRecords();

  void setMaxRecords(long value);

  @Description("Stop reading after this long (e.g. 5m; unset = forever): a bounded run")
  DurationOption getMaxReadTime();

  void setMaxReadTime(DurationOption value);

  @Description(
      "How often a stream looks for partitions added to its raw topics (e.g. 1m; unset = never:"
          + " a running job reads the partitions it started with, and a resume from a savepoint"
          + " reads the new ones). Set, Kafka is read through Beam's splittable read")
  DurationOption getPartitionDiscoveryInterval();

  void setPartitionDiscoveryInterval(DurationOption value);

  @Description(
      "How far behind the newest event time records may arrive before they count as late: the"
          + " watermark is the newest event time minus this (e.g. 10m)")
  @Default.InstanceFactory(DurationOption.TenMinutes.class)
  DurationOption getMaxOutOfOrderness();

  void setMaxOutOfOrderness(DurationOption value);

  @Description(
      "Extra Kafka client setting key=value (repeatable), e.g. security.protocol=SASL_SSL; values"
          + " are never logged")
  List<String> getKafkaProperty();

  void setKafkaProperty(List<String> value);

  @Description("A Java properties file of extra Kafka client settings (SASL/SSL etc.)")
  String getKafkaPropertiesFile();

  void setKafkaPropertiesFile(String value);

  @Description("Topic the engagements are written to (key: user_id)")
  @Default.String("customer_engagements")
  String getEngagementsTopic();

  void setEngagementsTopic(String value);

  @Description("Topic the profiles are written to (key: user_id; suits a compacted topic)")
  @Default.String("customer_profiles")
  String getProfilesTopic();

  void setProfilesTopic(String value);

  @Description("Topic the dead letters are written to (key: source)")
  @Default.String("customer360_dead_letters")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description(
      "Topic the conflicting deliveries are written to: deliveries of one event id that differ in"
          + " engagement_seconds (key: event_id)")
  @Default.String("customer360_conflicts")
  String getConflictsTopic();

  void setConflictsTopic(String value);

  @Description(
      "Write the Kafka topics in transactions, each record once across restores (read them"
          + " read_committed); on Flink a stream needs --checkpointingInterval, and its records"
          + " appear when the checkpoint after them completes")
  @Default.Boolean(false)
  boolean getExactlyOnce();

  void setExactlyOnce(boolean value);
}
