package dev.customer360.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.List;

/**
 * The words of every reason the parse step gives for a dead letter, in one place: each says what is
 * wrong with the record and, through {@link #FIX}, what to do about it.
 */
final class RejectionReasons {
  /** Ends every reason about a record's content. */
  static final String FIX = "; correct the record at its producer and replay it";

  private RejectionReasons() {}

  static String overLimit(int bytes, int maxRecordBytes) {
    return "record is "
        + bytes
        + " bytes, over the --maxRecordBytes limit of "
        + maxRecordBytes
        + "; it was not parsed. Raise --maxRecordBytes if records this large are legitimate";
  }

  static String emptyRecord() {
    return "empty record: expected one JSON object per line" + FIX;
  }

  static String notJson(JsonProcessingException e) {
    String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
    return "not valid JSON" + where + ": " + e.getOriginalMessage().replace('\n', ' ') + FIX;
  }

  static String notAnObject(JsonNode json, String source) {
    return "record is a JSON "
        + (json == null ? "nothing" : json.getNodeType().name().toLowerCase())
        + ", expected a JSON object with the fields of "
        + source
        + FIX;
  }

  /** Several problems of one record, each already a sentence fragment. */
  static String problems(List<String> problems) {
    return String.join("; ", problems) + FIX;
  }

  static String wrongType(String field, String expected, JsonNode actual) {
    return "field '" + field + "' must be " + expected + " but is " + describe(actual);
  }

  static String missingXml(String field) {
    return "missing required field '" + field + "' (XML)";
  }

  static String unreadableXml(String field, String why) {
    return "field '" + field + "': " + why;
  }

  static String missing(FieldRule rule) {
    return "missing required " + rule.label();
  }

  static String empty(FieldRule rule) {
    return rule.label() + " is empty";
  }

  /** Patterns are joined with "or", not commas: a pattern may hold a comma. */
  static String notATimestamp(FieldRule rule, String text, List<String> patterns) {
    return rule.label()
        + " '"
        + abbreviate(text)
        + "' is not a valid timestamp (expected "
        + String.join(" or ", patterns)
        + ")";
  }

  static String notAWholeNumber(FieldRule rule, String text) {
    return rule.label() + " '" + abbreviate(text) + "' is not a whole number";
  }

  static String negative(FieldRule rule, long number) {
    return rule.label() + " is " + number + "; it must be 0 or more";
  }

  static String overIntRange(FieldRule rule, long number) {
    return rule.label() + " is " + number + ", larger than " + Integer.MAX_VALUE;
  }

  private static String describe(JsonNode node) {
    JsonNodeType type = node.getNodeType();
    String shown =
        type == JsonNodeType.OBJECT || type == JsonNodeType.ARRAY
            ? ""
            : " " + abbreviate(node.toString());
    return "a " + type.name().toLowerCase() + shown;
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
