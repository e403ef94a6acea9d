package dev.customer360.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.transforms.sql.Timestamps;
import dev.customer360.transforms.sql.XmlFields;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.joda.time.Instant;

/**
 * The event time of a raw record, read the way standardization will read it (the patterns the
 * source's {@link FieldRule.Kind#TIMESTAMP} rule accepts, zone-less ones in the source's time
 * zone), for sources such as Kafka that must put records on event time before they are parsed. Made
 * by {@link StandardizeSource#rawEventTime()}, so it reads what that standardization reads. A
 * record whose time cannot be read gets {@link
 * org.apache.beam.sdk.transforms.windowing.BoundedWindow#TIMESTAMP_MIN_VALUE}: it will be
 * dead-lettered, and it must not move the watermark.
 */
public final class RawEventTime implements SerializableFunction<String, Instant> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final Instant UNKNOWN =
      org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE;

  private final FieldRule rule;
  private final ZoneId zone;

  /** {@code source} as its SQL reads it ({@link SourceDefinition#readBy}). */
  RawEventTime(SourceDefinition source, ZoneId zone) {
    this.rule =
        source.rules().stream()
            .filter(r -> r.kind() == FieldRule.Kind.TIMESTAMP)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Source '"
                            + source.name()
                            + "' has no TIMESTAMP rule to read event time from"));
    this.zone = zone;
  }

  @Override
  public Instant apply(String line) {
    try {
      JsonNode field = JSON.readTree(line).get(rule.field());
      if (field == null || !field.isTextual()) {
        return UNKNOWN;
      }
      String text =
          rule.xpath() == null
              ? field.textValue()
              : XmlFields.extract(field.textValue(), Map.of("t", rule.xpath())).get("t");
      return text == null ? UNKNOWN : read(text);
    } catch (Exception e) {
      // Any bad record: its parse step will say what is wrong with it.
      return UNKNOWN;
    }
  }

  /** In the first pattern that reads it, as the rule tries them. */
  private Instant read(String text) {
    for (String pattern : rule.patterns()) {
      try {
        return Instant.ofEpochMilli(Timestamps.toInstant(text, pattern, zone).toEpochMilli());
      } catch (DateTimeParseException e) {
        // not in this pattern; the next may read it
      }
    }
    return UNKNOWN;
  }
}
