package dev.customer360.transforms.sql;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strict parsing of the zone-less source timestamps ({@code yyyy-MM-dd HH:mm:ss} by default).
 * Impossible dates such as {@code 2020-02-30} are rejected, not rolled over.
 */
public final class Timestamps {
  public static final String DEFAULT_PATTERN = "yyyy-MM-dd HH:mm:ss";

  /** The format every output writes {@code engagement_datetime} in (UTC). */
  public static final DateTimeFormatter OUTPUT_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private static final Map<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();

  private Timestamps() {}

  /**
   * Parses {@code text} with {@code pattern} into a wall-clock time. A pattern with an offset
   * ({@code X}, {@code Z}) gives the UTC wall-clock time of that instant.
   *
   * @throws DateTimeParseException if the text does not match or names an impossible date
   * @throws IllegalArgumentException if the pattern itself is invalid
   */
  public static LocalDateTime parse(String text, String pattern) {
    DateTimeFormatter formatter = FORMATTERS.computeIfAbsent(pattern, Timestamps::strict);
    TemporalAccessor parsed = formatter.parse(text.trim());
    LocalDateTime local = LocalDateTime.from(parsed);
    if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
      int offset = parsed.get(ChronoField.OFFSET_SECONDS);
      local = local.minusSeconds(offset);
    }
    return local;
  }

  /** Like {@link #parse} but {@code null} when the text is null or not a valid timestamp. */
  public static LocalDateTime parseOrNull(String text, String pattern) {
    if (text == null) {
      return null;
    }
    try {
      return parse(text, pattern);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * SimpleDateFormat-style patterns use {@code y} (year of era), which STRICT resolution cannot
   * use without an era; {@code u} is the same for modern dates.
   */
  private static DateTimeFormatter strict(String pattern) {
    StringBuilder converted = new StringBuilder(pattern.length());
    boolean quoted = false;
    for (char c : pattern.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      }
      converted.append(!quoted && c == 'y' ? 'u' : c);
    }
    return DateTimeFormatter.ofPattern(converted.toString())
        .withResolverStyle(ResolverStyle.STRICT);
  }
}
