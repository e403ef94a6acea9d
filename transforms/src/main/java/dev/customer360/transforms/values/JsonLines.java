package dev.customer360.transforms.values;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.customer360.transforms.sql.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * The JSON form of the pipeline's outputs, one object per line, fields in a fixed order. Times are
 * UTC: {@code engagement_datetime} as {@code yyyy-MM-dd HH:mm:ss}, {@code failed_at} as ISO-8601.
 */
public final class JsonLines {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonLines() {}

  public static String engagement(Engagement e) {
    return write(
        g -> {
          g.writeStringField("user_id", e.userId());
          g.writeStringField("engagement_datetime", formatDatetime(e.engagementDatetime()));
          g.writeStringField("engagement_type", e.engagementType());
          g.writeStringField("engagement_source_id", e.engagementSourceId());
          g.writeNumberField("engagement_seconds", e.engagementSeconds());
          g.writeStringField("event_id", e.eventId());
        });
  }

  public static String deadLetter(DeadLetter d) {
    return write(
        g -> {
          g.writeStringField("source", d.source());
          g.writeStringField("error", d.error());
          g.writeStringField("payload", d.payload());
          g.writeStringField("failed_at", d.failedAt().toString());
          g.writeBooleanField("replayable", d.replayable());
        });
  }

  /**
   * A profile: {@code user_id, window_start, window_end, engagements, engagement_seconds, calls,
   * call_seconds, website_visits, website_seconds, first_engagement, last_engagement, last_call_id,
   * last_site_id, pane, final}; absent values are JSON null.
   */
  public static String profile(CustomerProfile p) {
    return write(
        g -> {
          g.writeStringField("user_id", p.userId());
          writeTime(g, "window_start", p.windowStart());
          writeTime(g, "window_end", p.windowEnd());
          g.writeNumberField("engagements", p.engagements());
          g.writeNumberField("engagement_seconds", p.engagementSeconds());
          g.writeNumberField("calls", p.calls());
          g.writeNumberField("call_seconds", p.callSeconds());
          g.writeNumberField("website_visits", p.websiteVisits());
          g.writeNumberField("website_seconds", p.websiteSeconds());
          writeTime(g, "first_engagement", p.firstEngagement());
          writeTime(g, "last_engagement", p.lastEngagement());
          g.writeStringField("last_call_id", p.lastCallId());
          g.writeStringField("last_site_id", p.lastSiteId());
          g.writeStringField("pane", p.pane().name());
          g.writeBooleanField("final", p.isFinal());
        });
  }

  /**
   * A value declared by a Beam schema, as a JSON line: its fields in schema order, times as {@code
   * yyyy-MM-dd HH:mm:ss} UTC, absent values as JSON null.
   */
  public static String row(Row row) {
    return write(
        g -> {
          for (Schema.Field field : row.getSchema().getFields()) {
            Object value = row.getValue(field.getName());
            g.writeFieldName(field.getName());
            if (value == null) {
              g.writeNull();
            } else if (value instanceof org.joda.time.ReadableInstant) {
              g.writeString(formatDatetime((org.joda.time.ReadableInstant) value));
            } else if (value instanceof Number) {
              g.writeNumber(((Number) value).longValue());
            } else if (value instanceof Boolean) {
              g.writeBoolean((Boolean) value);
            } else {
              g.writeString(value.toString());
            }
          }
        });
  }

  private static void writeTime(JsonGenerator g, String field, org.joda.time.ReadableInstant t)
      throws IOException {
    if (t == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, formatDatetime(t));
    }
  }

  /** {@code yyyy-MM-dd HH:mm:ss} in UTC. */
  public static String formatDatetime(org.joda.time.ReadableInstant instant) {
    DateTimeFormatter format = Timestamps.OUTPUT_FORMAT;
    return format.format(java.time.Instant.ofEpochMilli(instant.getMillis()));
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Fields fields) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string cannot fail", e);
    }
    return out.toString();
  }
}
