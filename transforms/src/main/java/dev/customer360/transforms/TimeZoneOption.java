package dev.customer360.transforms;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.ZoneId;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A time zone option as users write it ({@code UTC}, {@code Europe/Tallinn}, {@code +02:00}), read
 * into a {@link ZoneId}. Beam's options have no reader for {@code ZoneId}, so its getter names
 * {@link Reader} and {@link Writer} (Beam wants both), which keep the zone's id, as written, in the
 * options a runner ships to its workers. A bad value's message says what is wrong; the command line
 * adds the flag.
 */
public final class TimeZoneOption {
  /** What a user may write, for messages. */
  public static final String FORMS = "UTC, Europe/Tallinn or +02:00";

  private TimeZoneOption() {}

  /** Reads a region id ({@code Europe/Tallinn}), {@code UTC} or an offset ({@code +02:00}). */
  public static ZoneId parse(String text) {
    try {
      return ZoneId.of(text == null ? "" : text.trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("'" + text + "' is not a time zone; use e.g. " + FORMS);
    }
  }

  /**
   * Reads an option's text with {@link #parse}. Beam hands over the value as JSON when it is valid
   * JSON, so {@code 2} and {@code null} arrive as a number and a null: both are refused as text.
   */
  public static final class Reader extends StdScalarDeserializer<ZoneId> {
    public Reader() {
      super(ZoneId.class);
    }

    @Override
    public ZoneId deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      return parse(parser.getText());
    }

    @Override
    public ZoneId getNullValue(DeserializationContext context) {
      return parse("null");
    }
  }

  /** Writes the zone's id, which {@link Reader} reads back. */
  public static final class Writer extends StdScalarSerializer<ZoneId> {
    public Writer() {
      super(ZoneId.class);
    }

    @Override
    public void serialize(ZoneId zone, JsonGenerator json, SerializerProvider provider)
        throws IOException {
      json.writeString(zone.getId());
    }
  }

  /** Default {@code UTC} (the region id, as a user writes it; {@code --help} shows it). */
  public static final class Utc implements DefaultValueFactory<ZoneId> {
    @Override
    public ZoneId create(PipelineOptions options) {
      return parse("UTC");
    }
  }
}
