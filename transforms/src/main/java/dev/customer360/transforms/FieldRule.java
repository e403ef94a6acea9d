package dev.customer360.transforms;

import java.io.Serializable;

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
}
