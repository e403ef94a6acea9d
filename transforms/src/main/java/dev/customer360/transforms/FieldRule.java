package dev.customer360.transforms;

import dev.customer360.transforms.sql.Timestamps;
import java.io.Serializable;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A requirement one source places on a raw field before its SQL may run: either a top-level JSON
 * field, or an element inside a JSON field holding XML. Checking these before SQL gives every bad
 * record a precise reason and the raw line in its dead letter (SQL output no longer has the line).
 */
public final class FieldRule implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What the value must be. */
  public enum Kind {
    /** Present and not blank. */
    NON_EMPTY_TEXT,
    /** A timestamp in one of the rule's {@link #patterns()}. */
    TIMESTAMP,
    /** A whole number, at least 0, that fits in an int. */
    NON_NEGATIVE_INT
  }

  private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");
  private static final Pattern SIGN_AND_LEADING_ZEROS = Pattern.compile("^[+-]?0*");

  private final String field;
  private final String xpath;
  private final Kind kind;
  private final String pattern;
  private final List<String> patterns;

  private FieldRule(String field, String xpath, Kind kind, String pattern, List<String> patterns) {
    this.field = field;
    this.xpath = xpath;
    this.kind = kind;
    this.pattern = pattern;
    this.patterns = List.copyOf(patterns);
  }

  /** A rule on a top-level JSON field. */
  public static FieldRule json(String field, Kind kind) {
    return new FieldRule(field, null, kind, null, List.of(Timestamps.DEFAULT_PATTERN));
  }

  /** A rule on the text at {@code xpath} inside the XML held by JSON field {@code field}. */
  public static FieldRule xml(String field, String xpath, Kind kind) {
    return new FieldRule(field, xpath, kind, null, List.of(Timestamps.DEFAULT_PATTERN));
  }

  /**
   * The same rule accepting this timestamp pattern only, whatever the source's SQL reads. Without
   * it, a rule accepts the patterns its source's SQL passes to {@code to_timestamp}.
   */
  public FieldRule withPattern(String timestampPattern) {
    return new FieldRule(field, xpath, kind, timestampPattern, List.of(timestampPattern));
  }

  /**
   * This rule as the source's SQL reads its field: with no pattern of its own, it accepts {@code
   * sqlPatterns} (see {@code StandardizationSql.timestampPatterns()}).
   */
  FieldRule withSqlPatterns(List<String> sqlPatterns) {
    return pattern != null ? this : new FieldRule(field, xpath, kind, null, sqlPatterns);
  }

  public String field() {
    return field;
  }

  /** The XPath inside the field's XML, or {@code null} for a plain JSON field. */
  public String xpath() {
    return xpath;
  }

  public Kind kind() {
    return kind;
  }

  /** The pattern set by {@link #withPattern}, or {@code null} if the rule has none of its own. */
  public String pattern() {
    return pattern;
  }

  /**
   * The patterns a timestamp may be in, in the order they are tried: the rule's own pattern, else
   * those of the source's SQL once {@link #withSqlPatterns} has been applied, else the default.
   */
  public List<String> patterns() {
    return patterns;
  }

  /** How messages name the value: {@code 'user_id'} or {@code 'xml' //call_log/user_id}. */
  public String label() {
    return xpath == null ? "'" + field + "'" : "'" + field + "' " + xpath;
  }

  /**
   * What is wrong with {@code value} under this rule, or {@code null} if it passes. The value is
   * the field's JSON value or the text at the rule's XPath; {@code null} if absent.
   */
  public String problemWith(Object value) {
    if (value == null) {
      return RejectionReasons.missing(this);
    }
    String text = value.toString();
    switch (kind) {
      case NON_EMPTY_TEXT:
        return text.isBlank() ? RejectionReasons.empty(this) : null;
      case TIMESTAMP:
        return timestampProblem(text);
      case NON_NEGATIVE_INT:
        return nonNegativeIntProblem(value, text);
      default:
        throw new IllegalStateException("unknown rule kind " + kind);
    }
  }

  private String timestampProblem(String text) {
    for (String expected : patterns) {
      try {
        Timestamps.parse(text, expected);
        return null;
      } catch (DateTimeParseException e) {
        // not in this pattern; the next may read it
      }
    }
    return RejectionReasons.notATimestamp(this, text, patterns);
  }

  private String nonNegativeIntProblem(Object value, String text) {
    long number;
    if (value instanceof Number) {
      number = ((Number) value).longValue();
    } else if (WHOLE_NUMBER.matcher(text.trim()).matches()) {
      String digits = text.trim();
      // More than 12 digits is out of range either way; saturate instead of overflowing.
      number =
          SIGN_AND_LEADING_ZEROS.matcher(digits).replaceFirst("").length() > 12
              ? (digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE)
              : Long.parseLong(digits);
    } else {
      return RejectionReasons.notAWholeNumber(this, text);
    }
    if (number < 0) {
      return RejectionReasons.negative(this, number);
    }
    if (number > Integer.MAX_VALUE) {
      return RejectionReasons.overIntRange(this, number);
    }
    return null;
  }
}
