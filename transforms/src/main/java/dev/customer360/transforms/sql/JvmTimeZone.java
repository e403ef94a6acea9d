package dev.customer360.transforms.sql;

import java.util.TimeZone;

/**
 * Beam SQL turns timestamps into millis with the JVM's default zone, captured once when Calcite
 * loads. In a zone with daylight saving, one hour of wall-clock times a year cannot pass through
 * it. Running the JVM in UTC ({@code -Duser.timezone=UTC}) makes every wall-clock time
 * representable.
 */
public final class JvmTimeZone {
  private JvmTimeZone() {}

  /**
   * Fails, saying what to do, unless this JVM's default zone is UTC. Changing it here would be too
   * late (Calcite may have captured it) and would change the zone of everything else in the JVM.
   */
  public static void requireUtc() {
    if (!TimeZone.getDefault().hasSameRules(TimeZone.getTimeZone("UTC"))) {
      throw new IllegalArgumentException(
          "this JVM runs in time zone "
              + TimeZone.getDefault().getID()
              + "; start Java with -Duser.timezone=UTC (Beam SQL reads timestamps in the JVM's"
              + " zone; the sources' own zone is a setting of the job, not the JVM's)");
    }
  }
}
