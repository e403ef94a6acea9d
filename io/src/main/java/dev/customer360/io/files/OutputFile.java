package dev.customer360.io.files;

import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Declared;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementConflict;
import dev.customer360.transforms.values.JsonLines;
import java.io.Serializable;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.ReadableInstant;

/**
 * One output of the file sink: its directory name below {@code --output}, how its records are
 * partitioned (Hive-style {@code dt=YYYY-MM-DD[/hour=HH]}, UTC), and its JSON and typed forms.
 */
public final class OutputFile<T> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("'dt='uuuu-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("'dt='uuuu-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

  private final String name;
  private final SerializableFunction<T, String> partition;
  private final @Nullable SerializableFunction<T, ReadableInstant> eventTime;
  private final SerializableFunction<T, String> json;
  private final SerializableFunction<T, Row> row;
  private final Schema schema;

  private OutputFile(
      String name,
      SerializableFunction<T, String> partition,
      @Nullable SerializableFunction<T, ReadableInstant> eventTime,
      SerializableFunction<T, String> json,
      SerializableFunction<T, Row> row,
      Schema schema) {
    this.name = name;
    this.partition = partition;
    this.eventTime = eventTime;
    this.json = json;
    this.row = row;
    this.schema = schema;
  }

  /** {@code engagements/dt=…/hour=…/}, by engagement time. */
  public static final OutputFile<Engagement> ENGAGEMENTS =
      new OutputFile<>(
          "engagements",
          e -> hour(e.engagementDatetime()),
          Engagement::engagementDatetime,
          JsonLines::engagement,
          Declared.toRow(Engagement.class),
          Declared.schema(Engagement.class));

  /** {@code profiles/dt=…/}, by window start. */
  public static final OutputFile<CustomerProfile> PROFILES =
      declared("profiles", p -> day(p.windowStart), CustomerProfile.class, JsonLines::profile);

  /** {@code dead-letter/dt=…/}, by the day the record failed. */
  public static final OutputFile<DeadLetter> DEAD_LETTERS =
      declared("dead-letter", d -> day(d.failedAt()), DeadLetter.class, JsonLines::deadLetter);

  /** {@code conflicts/dt=…/}, by engagement time. */
  public static final OutputFile<EngagementConflict> CONFLICTS =
      declared(
          "conflicts",
          c -> day(c.engagementDatetime),
          EngagementConflict.class,
          JsonLines::conflict);

  /** The output of a type declared by a Beam schema: JSON and Parquet follow its fields. */
  static <T> OutputFile<T> declared(
      String name,
      SerializableFunction<T, String> partition,
      Class<T> type,
      SerializableFunction<T, String> json) {
    return new OutputFile<>(
        name, partition, null, json, Declared.toRow(type), Declared.schema(type));
  }

  static String day(ReadableInstant t) {
    return partitionOf(t, DAY_MILLIS, DAY, DAYS);
  }

  static String hour(ReadableInstant t) {
    return partitionOf(t, HOUR_MILLIS, HOUR, HOURS);
  }

  private static final long HOUR_MILLIS = 3_600_000L;
  private static final long DAY_MILLIS = 24 * HOUR_MILLIS;

  /** Partition names by period start: formatted once per hour or day, not once per record. */
  private static final Map<Long, String> DAYS = new ConcurrentHashMap<>();

  private static final Map<Long, String> HOURS = new ConcurrentHashMap<>();

  private static String partitionOf(
      ReadableInstant t, long period, DateTimeFormatter format, Map<Long, String> names) {
    if (names.size() > 100_000) {
      names.clear(); // data spread over decades: stay small rather than fast
    }
    return names.computeIfAbsent(
        Math.floorDiv(t.getMillis(), period),
        index -> format.format(java.time.Instant.ofEpochMilli(index * period)));
  }

  public String name() {
    return name;
  }

  SerializableFunction<T, String> partition() {
    return partition;
  }

  /** The record's event time, for outputs whose files are named by event-time window. */
  @Nullable SerializableFunction<T, ReadableInstant> eventTime() {
    return eventTime;
  }

  SerializableFunction<T, String> json() {
    return json;
  }

  SerializableFunction<T, Row> row() {
    return row;
  }

  Schema schema() {
    return schema;
  }
}
