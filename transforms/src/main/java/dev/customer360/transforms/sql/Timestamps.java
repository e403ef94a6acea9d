package dev.customer360.transforms.sql;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strict parsing of source timestamps ({@code yyyy-MM-dd HH:mm:ss} by default). Impossible dates
 * such as {@code 2020-02-30} are rejected, not rolled over. Zone-less timestamps are read in the
 * source's time zone; a pattern with an offset ({@link #carriesOffset}) keeps the text's own.
 */
public final class Timestamps {
  public static final String DEFAULT_PATTERN = "yyyy-MM-dd HH:mm:ss";

  /** The format every output writes {@code engagement_datetime} in (UTC). */
  public static final DateTimeFormatter OUTPUT_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private static final Map<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();

  private Timestamps() {}

  /**
   * Whether {@code pattern} reads an offset or zone ({@code X}, {@code x}, {@code Z}, {@code O},
   * {@code V}, {@code z} outside quotes): its timestamps name an instant, and the source's time
   * zone must not be applied to them again.
   */
  public static boolean carriesOffset(String pattern) {
    boolean quoted = false;
    for (char c : pattern.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && "XxZOVz".indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The instant {@code text} names: its own offset or zone if {@code pattern} reads one, otherwise
   * its wall-clock time in {@code zone}.
   *
   * @throws DateTimeParseException if the text does not match or names an impossible date
   */
  public static java.time.Instant toInstant(String text, String pattern, ZoneId zone) {
    LocalDateTime wallClock = parse(text, pattern);
    return carriesOffset(pattern)
        ? wallClock.toInstant(ZoneOffset.UTC)
        : wallClock.atZone(zone).toInstant();
  }

  /**
   * Parses {@code text} with {@code pattern} into a wall-clock time. A pattern with an offset or
   * zone ({@link #carriesOffset}) gives the UTC wall-clock time of that instant.
   *
   * @throws DateTimeParseException if the text does not match or names an impossible date
   * @throws IllegalArgumentException if the pattern itself is invalid
   */
  public static LocalDateTime parse(String text, String pattern) {
    if (DEFAULT_PATTERN.equals(pattern)) {
      LocalDateTime fast = parseDefault(text.trim());
      if (fast != null) {
        return fast;
      }
    }
    DateTimeFormatter formatter = FORMATTERS.computeIfAbsent(pattern, Timestamps::strict);
    TemporalAccessor parsed = formatter.parse(text.trim());
    LocalDateTime local = LocalDateTime.from(parsed);
    if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
      int offset = parsed.get(ChronoField.OFFSET_SECONDS);
      local = local.minusSeconds(offset);
    } else if (parsed.query(TemporalQueries.zoneId()) != null) {
      // A zone name without an offset (pattern letter V or z): the zone's offset at that time.
      local =
          LocalDateTime.ofInstant(
              local.atZone(parsed.query(TemporalQueries.zoneId())).toInstant(), ZoneOffset.UTC);
    }
    return local;
  }

  /**
   * {@code yyyy-MM-dd HH:mm:ss} read digit by digit: every record carries one or two such times,
   * and the general formatter costs several times more. {@code null} for anything but a valid time
   * in exactly that shape, so the formatter decides (and explains) every other case. (Package
   * private for its test: a fast path that wrongly gives up is only slower, never wrong.)
   */
  static LocalDateTime parseDefault(String t) {
    if (t.length() != 19
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != ' '
        || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59
        || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    return LocalDateTime.of(year, month, day, hour, minute, second);
  }

  /** The number in {@code t[from, from + count)}, or -1 if a character is not an ASCII digit. */
  private static int digits(String t, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * Checks that {@code pattern} is a valid pattern, so a bad one in a SQL file fails when the
   * pipeline is built rather than on the first record.
   *
   * @throws IllegalArgumentException if it is not
   */
  public static void requireValidPattern(String pattern) {
    FORMATTERS.computeIfAbsent(pattern, Timestamps::strict);
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
   * SimpleDateFormat-style patterns use {@code y} (year of era), which STRICT resolution cannot use
   * without an era; {@code u} is the same for modern dates.
   */
  static DateTimeFormatter strict(String pattern) {
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
