package dev.customer360.transforms;

import dev.customer360.transforms.sql.Timestamps;
import java.io.Serializable;
import java.time.format.DateTimeParseException;
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
    /** A timestamp in the rule's pattern. */
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

  private FieldRule(String field, String xpath, Kind kind, String pattern) {
    this.field = field;
    this.xpath = xpath;
    this.kind = kind;
    this.pattern = pattern;
  }

  /** A rule on a top-level JSON field. */
  public static FieldRule json(String field, Kind kind) {
    return new FieldRule(field, null, kind, null);
  }

  /** A rule on the text at {@code xpath} inside the XML held by JSON field {@code field}. */
  public static FieldRule xml(String field, String xpath, Kind kind) {
    return new FieldRule(field, xpath, kind, null);
  }

  /** The same rule with a timestamp pattern other than the default. */
  public FieldRule withPattern(String timestampPattern) {
    return new FieldRule(field, xpath, kind, timestampPattern);
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

  /** The timestamp pattern, or {@code null} for the default. */
  public String pattern() {
    return pattern;
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
    String expected = pattern == null ? Timestamps.DEFAULT_PATTERN : pattern;
    try {
      Timestamps.parse(text, expected);
      return null;
    } catch (DateTimeParseException e) {
      return RejectionReasons.notATimestamp(this, text, expected);
    }
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
