package dev.customer360.transforms.sql;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;
import org.apache.beam.sdk.extensions.sql.BeamSqlUdf;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.runtime.SqlFunctions;

/**
 * {@code to_timestamp(text)} and {@code to_timestamp(text, pattern)}: the seed's Flink SQL
 * function. Like Flink, a value that is not a valid timestamp gives {@code NULL} (validation
 * dead-letters the row), never an exception inside generated code.
 *
 * <p>Beam SQL timestamps are zone-less wall-clock times carried as UTC millis; Calcite turns a
 * returned {@link Timestamp} into millis by adding the JVM's default zone offset, so we
 * pre-subtract it. The pipeline then reads the wall-clock time in {@code --sourceTimeZone}. A
 * wall-clock time that the JVM's zone skips (daylight saving) cannot be carried at all: the
 * pipeline sets its JVM to UTC before SQL loads ({@code JvmTimeZone}).
 *
 * <p>Calcite resolves one function name by arity, and sees only one {@code eval} per class, so each
 * arity is its own class registered under the same name.
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
   * The offset Calcite adds to a returned {@link Timestamp} at {@code millis}: that of the zone its
   * runtime captured when it loaded, which the JVM default may no longer be. Asked of Calcite's own
   * public conversion, the one Beam SQL's generated code calls. Beam vendors Calcite under a
   * versioned package, reached through Beam SQL's dependency and not declared in this module: a
   * Beam upgrade that moves it fails this class's import at compile time, never silently.
   */
  private static long calciteOffset(long millis) {
    return SqlFunctions.toLong(new Timestamp(millis)) - millis;
  }

  /**
   * A {@link Timestamp} {@code t} with {@code t.getTime() + zoneOffset(t) == wall clock as UTC
   * millis}, which is what Calcite's {@code SqlFunctions.toLong(Timestamp)} computes.
   *
   * @throws IllegalStateException if the JVM's zone skips that wall-clock time (a daylight-saving
   *     gap), so no Timestamp can carry it; the pipeline runs its JVMs in UTC to avoid this
   */
  static Timestamp toSqlTimestamp(LocalDateTime wallClock) {
    if (wallClock == null) {
      return null;
    }
    long utcMillis = wallClock.toInstant(ZoneOffset.UTC).toEpochMilli();
    long offset = calciteOffset(utcMillis);
    if (offset == 0) {
      return new Timestamp(utcMillis); // UTC, as the job runs: nothing to shift
    }
    long millis = utcMillis - calciteOffset(utcMillis - offset);
    if (millis + calciteOffset(millis) != utcMillis) {
      throw new IllegalStateException(
          wallClock
              + " does not exist in this JVM's time zone "
              + TimeZone.getDefault().getID()
              + " (a daylight-saving gap), so Beam SQL cannot carry it; run the JVM with"
              + " -Duser.timezone=UTC (run-local.sh and run-flink.sh do)");
    }
    return new Timestamp(millis);
  }
}
