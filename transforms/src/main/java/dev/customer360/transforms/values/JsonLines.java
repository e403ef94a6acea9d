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
