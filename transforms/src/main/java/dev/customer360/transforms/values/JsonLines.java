package dev.customer360.transforms.values;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.customer360.transforms.sql.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.joda.time.ReadableInstant;

/**
 * The JSON form of the pipeline's outputs, one object per line: the declared fields of the value
 * ({@link Declared}), in order, absent values as JSON null. Times are UTC: event times as {@code
 * yyyy-MM-dd HH:mm:ss}; a dead letter's {@code failed_at}, a wall-clock time, as ISO-8601.
 */
public final class JsonLines {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final com.fasterxml.jackson.databind.ObjectMapper READER =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final SerializableFunction<Engagement, Row> ENGAGEMENT =
      Declared.toRow(Engagement.class);
  private static final SerializableFunction<CustomerProfile, Row> PROFILE =
      Declared.toRow(CustomerProfile.class);
  private static final SerializableFunction<DeadLetter, Row> DEAD_LETTER =
      Declared.toRow(DeadLetter.class);
  private static final SerializableFunction<EngagementConflict, Row> CONFLICT =
      Declared.toRow(EngagementConflict.class);

  private JsonLines() {}

  public static String engagement(Engagement e) {
    return row(ENGAGEMENT.apply(e));
  }

  public static String profile(CustomerProfile p) {
    return row(PROFILE.apply(p));
  }

  public static String deadLetter(DeadLetter d) {
    return write(DEAD_LETTER.apply(d), true);
  }

  public static String conflict(EngagementConflict c) {
    return row(CONFLICT.apply(c));
  }

  /**
   * A dead letter from its JSON line (as {@link #deadLetter} writes it). Lines written before dead
   * letters had a stage read as no stage and one attempt; before they had an origin, as none.
   *
   * @throws IllegalArgumentException if the line is not a dead letter's JSON, saying what is wrong
   */
  public static DeadLetter deadLetterOf(String line) {
    com.fasterxml.jackson.databind.JsonNode json;
    try {
      json = READER.readTree(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return DeadLetter.ofColumns(
        text(json, "source", true),
        text(json, "error", true),
        text(json, "payload", true),
        Instant.parse(text(json, "failed_at", true)),
        !json.has("replayable") || json.get("replayable").asBoolean(true),
        text(json, "stage", false),
        json.has("attempts") ? json.get("attempts").asInt(1) : 1,
        text(json, "origin", false));
  }

  private static String text(
      com.fasterxml.jackson.databind.JsonNode json, String field, boolean required) {
    com.fasterxml.jackson.databind.JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException("no field '" + field + "'");
      }
      return null;
    }
    return value.asText();
  }

  /** A value declared by a Beam schema, as a JSON line; times as {@code yyyy-MM-dd HH:mm:ss}. */
  public static String row(Row row) {
    return write(row, false);
  }

  private static String write(Row row, boolean isoTimes) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      List<Schema.Field> fields = row.getSchema().getFields();
      for (int i = 0; i < fields.size(); i++) {
        g.writeFieldName(fields.get(i).getName());
        writeValue(g, row.getValue(i), isoTimes);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string cannot fail", e);
    }
    return out.toString();
  }

  private static void writeValue(JsonGenerator g, Object value, boolean isoTimes)
      throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof ReadableInstant) {
      ReadableInstant t = (ReadableInstant) value;
      g.writeString(isoTimes ? new Instant(t.getMillis()).toString() : formatDatetime(t));
    } else if (value instanceof Number) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof Boolean) {
      g.writeBoolean((Boolean) value);
    } else {
      g.writeString(value.toString());
    }
  }

  /** {@code yyyy-MM-dd HH:mm:ss} in UTC. */
  public static String formatDatetime(ReadableInstant instant) {
    return Timestamps.OUTPUT_FORMAT.format(java.time.Instant.ofEpochMilli(instant.getMillis()));
  }
}
