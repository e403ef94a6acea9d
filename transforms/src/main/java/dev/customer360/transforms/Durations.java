package dev.customer360.transforms;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;

/**
 * Reads durations as users write them on the command line: {@code 30s}, {@code 15m}, {@code 1h}.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 1d} or ISO-8601 {@code
   * PT1H}.
   *
   * @param flag the option being read, named in the error
   */
  public static Duration parse(String flag, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(v);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "ms":
            return Duration.millis(n);
          case "s":
            return Duration.standardSeconds(n);
          case "m":
            return Duration.standardMinutes(n);
          case "h":
            return Duration.standardHours(n);
          default:
            return Duration.standardDays(n);
        }
      }
      if (v.startsWith("p")) {
        java.time.Duration iso = java.time.Duration.parse(v.toUpperCase(Locale.ROOT));
        if (!iso.isNegative()) {
          return Duration.millis(iso.toMillis());
        }
      }
    } catch (RuntimeException e) {
      return fail(flag, value);
    }
    return fail(flag, value);
  }

  private static Duration fail(String flag, String value) {
    throw new IllegalArgumentException(
        flag + "='" + value + "' is not a duration; use e.g. 30s, 15m, 1h, 1d or ISO-8601 PT1H");
  }
}
