package dev.customer360.transforms;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.customer360.transforms.sql.Timestamps;
import dev.customer360.transforms.sql.XmlFields;
import dev.customer360.transforms.values.DeadLetter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Raw JSON lines of one source in; rows for its SQL ({@link #ROWS}) and dead letters ({@link
 * #DEAD_LETTERS}) out. Every record either becomes a row that meets the source's {@link FieldRule}s
 * or a dead letter saying what is wrong with it; nothing throws, nothing vanishes.
 */
public final class ParseRawRecords extends PTransform<PCollection<String>, PCollectionTuple> {
  public static final TupleTag<Row> ROWS = new TupleTag<Row>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  /** Default for {@code --maxRecordBytes}: 1 MiB. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

  static final String FIX = "; correct the record at its producer and replay it";

  private final SourceDefinition source;
  private final int maxRecordBytes;

  public ParseRawRecords(SourceDefinition source, int maxRecordBytes) {
    this.source = source;
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public PCollectionTuple expand(PCollection<String> lines) {
    PCollectionTuple parsed =
        lines.apply(
            "Parse" + source.name(),
            ParDo.of(new ParseFn(source, maxRecordBytes))
                .withOutputTags(ROWS, TupleTagList.of(DEAD_LETTERS)));
    parsed.get(ROWS).setRowSchema(source.sqlInputSchema());
    return parsed;
  }

  /** Why a record is rejected; becomes the dead letter's {@code error}. */
  static final class RejectedRecord extends Exception {
    private static final long serialVersionUID = 1L;

    RejectedRecord(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Parses and checks one raw line. */
  static final class ParseFn extends DoFn<String, Row> {
    private static final ObjectMapper JSON =
        new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final SourceDefinition source;
    private final int maxRecordBytes;
    private final Counter recordsRead;
    private final Counter rowsToSql;
    private transient Schema rowSchema;
    private transient Map<String, Map<String, String>> xpathsByField;
    private transient java.util.Set<String> ruled;

    ParseFn(SourceDefinition source, int maxRecordBytes) {
      this.source = source;
      this.maxRecordBytes = maxRecordBytes;
      this.recordsRead =
          Metrics.counter(ParseRawRecords.class, MetricNames.recordsRead(source.name()));
      this.rowsToSql = Metrics.counter(ParseRawRecords.class, MetricNames.rowsToSql(source.name()));
    }

    @Setup
    public void setup() {
      rowSchema = source.sqlInputSchema();
      xpathsByField = new LinkedHashMap<>();
      ruled = new java.util.HashSet<>();
      for (FieldRule rule : source.rules()) {
        ruled.add(rule.field());
        if (rule.xpath() != null) {
          xpathsByField
              .computeIfAbsent(rule.field(), f -> new LinkedHashMap<>())
              .put(rule.xpath(), rule.xpath());
        }
      }
    }

    @ProcessElement
    public void process(@Element String line, MultiOutputReceiver out) {
      recordsRead.inc();
      try {
        out.get(ROWS).output(parse(line));
        rowsToSql.inc();
      } catch (RejectedRecord e) {
        out.get(DEAD_LETTERS).output(DeadLetter.of(source.name(), e.getMessage(), line));
      } catch (RuntimeException e) {
        // A bug of ours must not lose the record either.
        out.get(DEAD_LETTERS)
            .output(
                DeadLetter.of(
                    source.name(),
                    "unexpected error while parsing (please report it): " + e,
                    line));
      }
    }

    Row parse(String rawLine) throws RejectedRecord {
      String line = rawLine.startsWith("\uFEFF") ? rawLine.substring(1) : rawLine;
      // Counting bytes is only needed when the line could be over the limit.
      int bytes =
          (long) line.length() * 3 <= maxRecordBytes
              ? 0
              : dev.customer360.transforms.values.Utf8.length(line);
      if (bytes > maxRecordBytes) {
        throw new RejectedRecord(
            "record is "
                + bytes
                + " bytes, over the --maxRecordBytes limit of "
                + maxRecordBytes
                + "; it was not parsed. Raise --maxRecordBytes if records this large are"
                + " legitimate");
      }
      if (line.isBlank()) {
        throw new RejectedRecord("empty record: expected one JSON object per line" + FIX);
      }
      JsonNode json;
      try {
        json = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
        throw new RejectedRecord(
            "not valid JSON" + where + ": " + e.getOriginalMessage().replace('\n', ' ') + FIX);
      }
      if (json == null || !json.isObject()) {
        throw new RejectedRecord(
            "record is a JSON "
                + (json == null ? "nothing" : json.getNodeType().name().toLowerCase())
                + ", expected a JSON object with the fields of "
                + source.name()
                + FIX);
      }

      List<String> problems = new ArrayList<>();
      List<Object> values = new ArrayList<>(rowSchema.getFieldCount());
      for (Schema.Field field : source.rawSchema().getFields()) {
        values.add(
            readField(json.get(field.getName()), field, ruled.contains(field.getName()), problems));
      }
      if (problems.isEmpty()) {
        checkRules(values, problems);
      }
      if (!problems.isEmpty()) {
        throw new RejectedRecord(String.join("; ", problems) + FIX);
      }
      values.add(rawLine);
      return Row.withSchema(rowSchema).attachValues(values);
    }

    /**
     * The field's value in its schema type. A field a rule covers must have exactly that type; one
     * no rule covers (informational, not used to build the engagement) is converted where that is
     * lossless ({@code "8"} to 8, 8 to {@code "8"}) and otherwise left null rather than costing the
     * record.
     */
    private static Object readField(
        JsonNode node, Schema.Field field, boolean strict, List<String> problems) {
      if (node == null || node.isNull()) {
        return null;
      }
      if (!strict) {
        return lenient(node, field.getType().getTypeName());
      }
      String name = field.getName();
      switch (field.getType().getTypeName()) {
        case STRING:
          if (node.isTextual()) {
            return node.textValue();
          }
          break;
        case INT32:
          if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
          }
          break;
        case INT64:
          if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
          }
          break;
        case DOUBLE:
          if (node.isNumber()) {
            return node.doubleValue();
          }
          break;
        case BOOLEAN:
          if (node.isBoolean()) {
            return node.booleanValue();
          }
          break;
        default:
          throw new IllegalStateException("unsupported raw field type " + field.getType());
      }
      problems.add(
          "field '"
              + name
              + "' must be "
              + describe(field.getType().getTypeName())
              + " but is "
              + describe(node));
      return null;
    }

    private static Object lenient(JsonNode node, Schema.TypeName type) {
      try {
        switch (type) {
          case STRING:
            return node.isValueNode() ? node.asText() : null;
          case INT32:
            return node.isIntegralNumber() && node.canConvertToInt()
                ? Integer.valueOf(node.intValue())
                : node.isTextual() ? Integer.valueOf(node.textValue().trim()) : null;
          case INT64:
            return node.isIntegralNumber() && node.canConvertToLong()
                ? Long.valueOf(node.longValue())
                : node.isTextual() ? Long.valueOf(node.textValue().trim()) : null;
          case DOUBLE:
            return node.isNumber()
                ? Double.valueOf(node.doubleValue())
                : node.isTextual() ? Double.valueOf(node.textValue().trim()) : null;
          case BOOLEAN:
            return node.isBoolean()
                ? Boolean.valueOf(node.booleanValue())
                : node.isTextual() && node.textValue().matches("(?i)true|false")
                    ? Boolean.valueOf(node.textValue())
                    : null;
          default:
            return null;
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private void checkRules(List<Object> values, List<String> problems) {
      Map<String, Map<String, String>> xmlTexts = new LinkedHashMap<>();
      for (Map.Entry<String, Map<String, String>> xml : xpathsByField.entrySet()) {
        Object text = values.get(source.rawSchema().indexOf(xml.getKey()));
        if (text == null) {
          problems.add("missing required field '" + xml.getKey() + "' (XML)");
          return;
        }
        try {
          xmlTexts.put(xml.getKey(), XmlFields.extract((String) text, xml.getValue()));
        } catch (XmlFields.XmlFieldException e) {
          problems.add("field '" + xml.getKey() + "': " + e.getMessage());
          return;
        }
      }
      for (FieldRule rule : source.rules()) {
        Object value =
            rule.xpath() == null
                ? values.get(source.rawSchema().indexOf(rule.field()))
                : xmlTexts.get(rule.field()).get(rule.xpath());
        String problem = check(rule, value);
        if (problem != null) {
          problems.add(problem);
        }
      }
    }

    private static final java.util.regex.Pattern WHOLE_NUMBER =
        java.util.regex.Pattern.compile("[+-]?\\d+");
    private static final java.util.regex.Pattern SIGN_AND_LEADING_ZEROS =
        java.util.regex.Pattern.compile("^[+-]?0*");

    /** The problem with {@code value} under {@code rule}, or {@code null} if it passes. */
    static String check(FieldRule rule, Object value) {
      if (value == null) {
        return "missing required " + rule.label();
      }
      String text = value.toString();
      switch (rule.kind()) {
        case NON_EMPTY_TEXT:
          return text.isBlank() ? rule.label() + " is empty" : null;
        case TIMESTAMP:
          String pattern = rule.pattern() == null ? Timestamps.DEFAULT_PATTERN : rule.pattern();
          try {
            Timestamps.parse(text, pattern);
            return null;
          } catch (DateTimeParseException e) {
            return rule.label()
                + " '"
                + abbreviate(text)
                + "' is not a valid timestamp (expected "
                + pattern
                + ")";
          }
        case NON_NEGATIVE_INT:
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
            return rule.label() + " '" + abbreviate(text) + "' is not a whole number";
          }
          if (number < 0) {
            return rule.label() + " is " + number + "; it must be 0 or more";
          }
          if (number > Integer.MAX_VALUE) {
            return rule.label() + " is " + number + ", larger than " + Integer.MAX_VALUE;
          }
          return null;
        default:
          throw new IllegalStateException("unknown rule kind " + rule.kind());
      }
    }

    private static String describe(Schema.TypeName type) {
      switch (type) {
        case STRING:
          return "a string";
        case INT32:
          return "a whole number (32-bit)";
        case INT64:
          return "a whole number (64-bit)";
        case DOUBLE:
          return "a number";
        case BOOLEAN:
          return "true or false";
        default:
          return type.name();
      }
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
}
