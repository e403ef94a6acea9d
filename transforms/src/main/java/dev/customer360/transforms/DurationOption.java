package dev.customer360.transforms;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/**
 * A duration option as users write it: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code
 * 1d} or ISO-8601 {@code PT1H}. Beam reads an option of this type through {@link #parse} and writes
 * it back as the user wrote it, so the runner's UI shows {@code 1h}. A bad value's message says
 * what is wrong; the command line adds the flag.
 */
@JsonDeserialize(using = DurationOption.Reader.class)
public final class DurationOption {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /** What a user may write, for messages. */
  public static final String FORMS = "30s, 15m, 1h, 1d or ISO-8601 PT1H";

  private final String text;
  private final Duration duration;

  private DurationOption(String text, Duration duration) {
    this.text = text;
    this.duration = duration;
  }

  /** Reads {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 1d} or {@code PT1H}. */
  public static DurationOption parse(String text) {
    String v = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(v);
    try {
      if (m.matches()) {
        return new DurationOption(text.trim(), unit(m.group(2), Long.parseLong(m.group(1))));
      }
      if (v.startsWith("p")) {
        java.time.Duration iso = java.time.Duration.parse(v.toUpperCase(Locale.ROOT));
        if (!iso.isNegative()) {
          return new DurationOption(text.trim(), Duration.millis(iso.toMillis()));
        }
      }
    } catch (RuntimeException e) {
      // Out of range or not ISO-8601: refused below like any other text.
    }
    throw new IllegalArgumentException("'" + text + "' is not a duration; use e.g. " + FORMS);
  }

  private static Duration unit(String unit, long n) {
    switch (unit) {
      case "ms":
        return Duration.millis(n);
      case "s":
        return Duration.standardSeconds(n);
      case "m":
        return Duration.standardMinutes(n);
      case "h":
        return Duration.standardHours(n);
      default:
        return Duration.standardDays(n);
    }
  }

  public Duration duration() {
    return duration;
  }

  /** The text as written (trimmed): what the options show and serialize. */
  @JsonValue
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DurationOption && ((DurationOption) o).duration.equals(duration);
  }

  @Override
  public int hashCode() {
    return duration.hashCode();
  }

  /**
   * Reads an option's text with {@link #parse}. Beam hands over the value as JSON when it is valid
   * JSON, so {@code 10} and {@code null} arrive as a number and a null: both are refused as text.
   */
  public static final class Reader extends StdScalarDeserializer<DurationOption> {
    public Reader() {
      super(DurationOption.class);
    }

    @Override
    public DurationOption deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      return parse(parser.getText());
    }

    @Override
    public DurationOption getNullValue(DeserializationContext context) {
      return parse("null");
    }
  }

  /**
   * The default of a duration option. Beam's {@code @Default.String} would hand the getter a
   * String, so each default value is a factory; {@code --help} shows {@link #value()}.
   */
  public abstract static class Constant implements DefaultValueFactory<DurationOption> {
    private final DurationOption value;

    protected Constant(String text) {
      this.value = parse(text);
    }

    public DurationOption value() {
      return value;
    }

    @Override
    public DurationOption create(PipelineOptions options) {
      return value;
    }
  }

  /** Default {@code 1h}. */
  public static final class OneHour extends Constant {
    public OneHour() {
      super("1h");
    }
  }

  /** Default {@code 10m}. */
  public static final class TenMinutes extends Constant {
    public TenMinutes() {
      super("10m");
    }
  }

  /** Default {@code 1m}. */
  public static final class OneMinute extends Constant {
    public OneMinute() {
      super("1m");
    }
  }

  /** Default {@code 120s}. */
  public static final class TwoMinutes extends Constant {
    public TwoMinutes() {
      super("120s");
    }
  }

  /** Default {@code 10s}. */
  public static final class TenSeconds extends Constant {
    public TenSeconds() {
      super("10s");
    }
  }
}
