package dev.customer360.transforms.sql;

import java.util.TimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beam SQL turns timestamps into millis with the JVM's default zone, captured once when Calcite
 * loads. In a zone with daylight saving, one hour of wall-clock times a year cannot pass through
 * it. Running the JVM in UTC makes every wall-clock time representable.
 */
public final class JvmTimeZone {
  private static final Logger LOG = LoggerFactory.getLogger(JvmTimeZone.class);

  private JvmTimeZone() {}

  /**
   * Sets the JVM's default zone to UTC (call before any SQL is planned). A no-op when it already
   * is.
   */
  public static void useUtc() {
    TimeZone utc = TimeZone.getTimeZone("UTC");
    if (!TimeZone.getDefault().hasSameRules(utc)) {
      LOG.info(
          "Setting this JVM's default time zone from {} to UTC for Beam SQL timestamps; source"
              + " timestamps are read in --sourceTimeZone",
          TimeZone.getDefault().getID());
      TimeZone.setDefault(utc);
    }
  }
}
