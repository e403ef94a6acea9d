package dev.customer360.transforms.sql;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;
import org.apache.beam.sdk.extensions.sql.BeamSqlUdf;

/**
 * {@code to_timestamp(text)} and {@code to_timestamp(text, pattern)}: the seed's Flink SQL
 * function. Like Flink, a value that is not a valid timestamp gives {@code NULL} (validation
 * dead-letters the row), never an exception inside generated code.
 *
 * <p>Beam SQL timestamps are zone-less wall-clock times carried as UTC millis; Calcite turns a
 * returned {@link Timestamp} into millis by adding the JVM's default zone offset, so we pre-subtract
 * it. The pipeline then reads the wall-clock time in {@code --sourceTimeZone}.
 *
 * <p>Calcite resolves one function name by arity, and sees only one {@code eval} per class, so
 * each arity is its own class registered under the same name.
 */
public final class ToTimestampUdf {
  private ToTimestampUdf() {}

  /** {@code to_timestamp(text)} with pattern {@value Timestamps#DEFAULT_PATTERN}. */
  public static final class WithDefaultPattern implements BeamSqlUdf {
    public static Timestamp eval(String text) {
      return toSqlTimestamp(Timestamps.parseOrNull(text, Timestamps.DEFAULT_PATTERN));
    }
  }

  /** {@code to_timestamp(text, pattern)}, pattern as in {@code java.time.format}. */
  public static final class WithPattern implements BeamSqlUdf {
    public static Timestamp eval(String text, String pattern) {
      return toSqlTimestamp(Timestamps.parseOrNull(text, pattern));
    }
  }

  /**
   * A {@link Timestamp} {@code t} with {@code t.getTime() + defaultZoneOffset(t) == wall clock as
   * UTC millis}, which is what Calcite's {@code SqlFunctions.toLong(Timestamp)} computes.
   */
  static Timestamp toSqlTimestamp(LocalDateTime wallClock) {
    if (wallClock == null) {
      return null;
    }
    long utcMillis = wallClock.toInstant(ZoneOffset.UTC).toEpochMilli();
    TimeZone zone = TimeZone.getDefault();
    long guess = utcMillis - zone.getOffset(utcMillis);
    return new Timestamp(utcMillis - zone.getOffset(guess));
  }
}
