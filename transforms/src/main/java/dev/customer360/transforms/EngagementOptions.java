package dev.customer360.transforms;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.ZoneId;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How raw records become windowed, deduplicated engagements. */
public interface EngagementOptions extends PipelineOptions {
  @Description(
      "Directory of the standardization SQL files (<source>.sql). Default: the copy of src/sql"
          + " built into the jar")
  String getSqlDir();

  void setSqlDir(String value);

  @Description("Time zone of the zone-less source timestamps, e.g. " + TimeZoneOption.FORMS)
  @Default.InstanceFactory(TimeZoneOption.Utc.class)
  @JsonSerialize(using = TimeZoneOption.Writer.class)
  @JsonDeserialize(using = TimeZoneOption.Reader.class)
  ZoneId getSourceTimeZone();

  void setSourceTimeZone(ZoneId value);

  @Description("Records larger than this many bytes are dead-lettered without being parsed")
  @Default.Integer(ParseRawRecords.DEFAULT_MAX_RECORD_BYTES)
  int getMaxRecordBytes();

  void setMaxRecordBytes(int value);

  @Description("Event-time window of dedup and profiles: 30s, 15m, 1h, 1d or ISO-8601 (PT1H)")
  @Default.InstanceFactory(DurationOption.OneHour.class)
  DurationOption getWindow();

  void setWindow(DurationOption value);

  @Description(
      "How long after a window's end late events are still accepted (and deduplicated); same"
          + " format as --window")
  @Default.InstanceFactory(DurationOption.OneHour.class)
  DurationOption getAllowedLateness();

  void setAllowedLateness(DurationOption value);

  @Description(
      "Events dated more than this after the time their record was written (Kafka: the record's"
          + " timestamp; files: the run's start) are dead-lettered as future: instead of holding"
          + " dedup state and moving the watermark; same format as --window")
  @Default.InstanceFactory(DurationOption.TenMinutes.class)
  DurationOption getMaxFutureSkew();

  void setMaxFutureSkew(DurationOption value);

  @Description(
      "On a stream, how often (processing time) a window's customer profiles are re-emitted"
          + " while data arrives, before the final one at the watermark; same format as --window")
  @Default.InstanceFactory(DurationOption.OneMinute.class)
  DurationOption getProfileUpdateEvery();

  void setProfileUpdateEvery(DurationOption value);

  @Description(
      "How a batch is grouped to deduplicate and build profiles: 0 = one group per customer and"
          + " window (runners with a sort-based shuffle that spills to disk: Flink), N = N shards"
          + " of customers (the DirectRunner pays per group); a stream keeps its dedup state in N"
          + " shards (0: 16). Default: 16 on the DirectRunner, 0 elsewhere")
  @Default.InstanceFactory(DedupShardsFactory.class)
  int getDedupShards();

  void setDedupShards(int value);

  /** 16 shards on the DirectRunner; 0 on runners with a real shuffle (see bench/README.md). */
  class DedupShardsFactory implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      String runner = options.getRunner() == null ? "" : options.getRunner().getSimpleName();
      return runner.endsWith("DirectRunner") ? DeduplicateEngagements.DEFAULT_SHARDS : 0;
    }
  }
}
