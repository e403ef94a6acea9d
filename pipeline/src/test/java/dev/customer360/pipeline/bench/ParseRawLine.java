package dev.customer360.pipeline.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.io.RawRecords;
import dev.customer360.transforms.sql.Timestamps;
import dev.customer360.transforms.sql.XmlFields;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementTypes;
import dev.customer360.transforms.values.Ids;
import dev.customer360.transforms.values.JsonLines;
import java.nio.charset.CharsetDecoder;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;
import org.joda.time.Instant;

/**
 * The Flink SQL baseline's one parse of a raw line: a table function that turns the bytes of one
 * line of a source into exactly one row, either an engagement ({@code error} null) or a dead letter
 * ({@code error} set). It applies what the job applies to a line, in the job's order, with the
 * job's messages: strict UTF-8 (ReadJsonLines), the size limit, strict JSON and the source's field
 * rules (ParseRawRecords with StandardSources' rules; the call log's XML read once, with the job's
 * XmlFields), the standardization of src/sql/&lt;source&gt;.sql, id normalization and checks
 * (StandardizeSource's validation), and the future check (RejectFutureEngagements against the run's
 * start). Fields no rule covers and no SQL reads ({@code log_datatime}, {@code pages_visited},
 * {@code avg_percent_viewed}) cannot reject a record in the job, so they are not read here.
 */
@FunctionHint(
    output =
        @DataTypeHint(
            "ROW<source STRING, error STRING, payload STRING, failed_at STRING, replayable BOOLEAN,"
                + " stage STRING, attempts INT, user_id STRING, engagement_datetime TIMESTAMP(3), engagement_type STRING,"
                + " engagement_source_id STRING, engagement_seconds INT, event_id STRING>"))
public final class ParseRawLine extends TableFunction<Row> {
  private static final long serialVersionUID = 1L;

  static final String CALL_LOG = "call_log";
  static final String CLICKSTREAM = "clickstream";

  /** The job's {@code --maxRecordBytes} default. */
  static final int MAX_RECORD_BYTES = 1 << 20;

  private static final String FIX = "; correct the record at its producer and replay it";
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");
  private static final Pattern SIGN_AND_LEADING_ZEROS = Pattern.compile("^[+-]?0*");
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** The call log's SQL reads these four elements of its XML (src/sql/call_log.sql). */
  private static final Map<String, String> CALL_LOG_XPATHS = new LinkedHashMap<>();

  static {
    CALL_LOG_XPATHS.put("user_id", "//call_log/user_id");
    CALL_LOG_XPATHS.put("start_time", "//call_log/start_time");
    CALL_LOG_XPATHS.put("call_id", "//call_log/call_id");
    CALL_LOG_XPATHS.put("call_time_seconds", "//call_log/call_time_seconds");
  }

  private final String source;
  private final long runStartMillis;
  private final long maxFutureSkewMillis;
  private transient ObjectMapper json;
  private transient CharsetDecoder utf8;

  /**
   * @param source {@link #CALL_LOG} or {@link #CLICKSTREAM}
   * @param runStartMillis the run's start: engagements later than it plus the skew are dead letters
   * @param maxFutureSkewMillis the job's {@code --maxFutureSkew}
   */
  public ParseRawLine(String source, long runStartMillis, long maxFutureSkewMillis) {
    if (!source.equals(CALL_LOG) && !source.equals(CLICKSTREAM)) {
      throw new IllegalArgumentException(
          "unknown source '"
              + source
              + "'; the baseline knows "
              + CALL_LOG
              + " and "
              + CLICKSTREAM);
    }
    this.source = source;
    this.runStartMillis = runStartMillis;
    this.maxFutureSkewMillis = maxFutureSkewMillis;
  }

  @Override
  public void open(FunctionContext context) {
    json =
        new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    utf8 = RawRecords.strictUtf8();
  }

  /** Why a record is rejected; becomes the dead letter's error. */
  private static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final String payload;
    private final String source;

    Rejected(String reason, String payload) {
      this(reason, payload, null);
    }

    /** {@code source}: the dead letter's source when it is not the line's source. */
    Rejected(String reason, String payload, String source) {
      super(reason, null, false, false);
      this.payload = payload;
      this.source = source;
    }
  }

  public void eval(byte[] bytes) {
    String line = null;
    try {
      int[] invalidAt = {0};
      line = RawRecords.decode(utf8, bytes, 0, bytes.length, invalidAt);
      if (line == null) {
        throw new Rejected(
            RawRecords.notUtf8("record", bytes, invalidAt[0], "line"),
            RawRecords.escaped(bytes, 0, bytes.length));
      }
      collect(engagementRow(standardize(line)));
    } catch (Rejected e) {
      collect(
          deadLetterRow(
              DeadLetter.of(
                  DeadLetter.Stage.PARSE,
                  e.source == null ? source : e.source,
                  e.getMessage(),
                  e.payload)));
    } catch (RuntimeException e) {
      // A bug of ours must not lose the record either (as in the job).
      collect(
          deadLetterRow(
              DeadLetter.of(
                  DeadLetter.Stage.PARSE,
                  source,
                  "unexpected error while parsing (please report it): " + e,
                  line)));
    }
  }

  /** The engagement a good line stands for. */
  Engagement standardize(String rawLine) throws Rejected {
    String line = rawLine.startsWith("\uFEFF") ? rawLine.substring(1) : rawLine;
    int bytes =
        (long) line.length() * 3 <= MAX_RECORD_BYTES
            ? 0
            : dev.customer360.transforms.values.Utf8.length(line);
    if (bytes > MAX_RECORD_BYTES) {
      throw new Rejected(
          "record is "
              + bytes
              + " bytes, over the --maxRecordBytes limit of "
              + MAX_RECORD_BYTES
              + "; it was not parsed. Raise --maxRecordBytes if records this large are"
              + " legitimate",
          rawLine);
    }
    if (line.isBlank()) {
      throw new Rejected("empty record: expected one JSON object per line" + FIX, rawLine);
    }
    JsonNode record;
    try {
      record = json.readTree(line);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
      throw new Rejected(
          "not valid JSON" + where + ": " + e.getOriginalMessage().replace('\n', ' ') + FIX,
          rawLine);
    }
    if (record == null || !record.isObject()) {
      throw new Rejected(
          "record is a JSON "
              + (record == null ? "nothing" : record.getNodeType().name().toLowerCase())
              + ", expected a JSON object with the fields of "
              + source
              + FIX,
          rawLine);
    }
    Standardized sql =
        source.equals(CALL_LOG) ? callLog(record, rawLine) : clickstream(record, rawLine);
    return validated(sql);
  }

  /** A row of the source's SQL: its five columns, before validation. */
  private record Standardized(
      String userId, LocalDateTime time, String type, String sourceId, int seconds) {}

  /** src/sql/call_log.sql over the XML's four elements, after the call log's rules. */
  private Standardized callLog(JsonNode record, String rawLine) throws Rejected {
    List<String> problems = new ArrayList<>();
    String xml = text(record.get("xml"), "xml", problems);
    if (problems.isEmpty() && xml == null) {
      problems.add("missing required field 'xml' (XML)");
    }
    reject(problems, rawLine);
    Map<String, String> f;
    try {
      f = XmlFields.extract(xml, CALL_LOG_XPATHS);
    } catch (XmlFields.XmlFieldException e) {
      throw new Rejected("field 'xml': " + e.getMessage() + FIX, rawLine);
    }
    nonEmpty(f.get("user_id"), "'xml' //call_log/user_id", problems);
    LocalDateTime start = timestamp(f.get("start_time"), "'xml' //call_log/start_time", problems);
    nonEmpty(f.get("call_id"), "'xml' //call_log/call_id", problems);
    long seconds =
        nonNegativeInt(f.get("call_time_seconds"), "'xml' //call_log/call_time_seconds", problems);
    reject(problems, rawLine);
    return new Standardized(
        f.get("user_id"), start, EngagementTypes.SALES_CALL, f.get("call_id"), (int) seconds);
  }

  /** src/sql/clickstream.sql, after the clickstream's rules. */
  private Standardized clickstream(JsonNode record, String rawLine) throws Rejected {
    List<String> problems = new ArrayList<>();
    // Type checks first, in the source's field order, as the job reads them.
    String eventTimestamp = text(record.get("event_timestamp"), "event_timestamp", problems);
    String userId = text(record.get("user_id"), "user_id", problems);
    String siteId = text(record.get("site_id"), "site_id", problems);
    JsonNode secondsNode = record.get("total_seconds_on_site");
    Integer seconds = null;
    if (secondsNode != null && !secondsNode.isNull()) {
      if (secondsNode.isIntegralNumber() && secondsNode.canConvertToInt()) {
        seconds = secondsNode.intValue();
      } else {
        problems.add(
            "field 'total_seconds_on_site' must be a whole number (32-bit) but is "
                + describe(secondsNode));
      }
    }
    reject(problems, rawLine);
    nonEmpty(userId, "'user_id'", problems);
    LocalDateTime time = timestamp(eventTimestamp, "'event_timestamp'", problems);
    nonEmpty(siteId, "'site_id'", problems);
    if (seconds == null) {
      problems.add("missing required 'total_seconds_on_site'");
    } else if (seconds < 0) {
      problems.add("'total_seconds_on_site' is " + seconds + "; it must be 0 or more");
    }
    reject(problems, rawLine);
    return new Standardized(userId, time, EngagementTypes.WEBSITE, siteId, seconds);
  }

  /**
   * StandardizeSource's validation (ids normalized, then checked; the event id hashed from the
   * normalized ids) and RejectFutureEngagements against the run's start.
   */
  private Engagement validated(Standardized sql) throws Rejected {
    List<String> problems = new ArrayList<>();
    String userId = Ids.normalize(sql.userId());
    String userIdProblem = Ids.problem("user_id", userId);
    if (userIdProblem != null) {
      problems.add(userIdProblem);
    }
    String sourceId = Ids.normalize(sql.sourceId());
    String sourceIdProblem = Ids.problem("engagement_source_id", sourceId);
    if (sourceIdProblem != null) {
      problems.add(sourceIdProblem);
    }
    if (!problems.isEmpty()) {
      // As in the job, the raw line is gone after SQL: the standardized values stand for it.
      throw new Rejected(
          "standardized record is invalid: " + String.join("; ", problems) + FIX,
          "{user_id="
              + sql.userId()
              + ", engagement_datetime="
              + sql.time()
              + ", engagement_type="
              + sql.type()
              + ", engagement_source_id="
              + sql.sourceId()
              + ", engagement_seconds="
              + sql.seconds()
              + "}");
    }
    long millis = sql.time().toInstant(ZoneOffset.UTC).toEpochMilli();
    Engagement e =
        Engagement.of(userId, Instant.ofEpochMilli(millis), sql.type(), sourceId, sql.seconds());
    if (millis > runStartMillis + maxFutureSkewMillis) {
      throw new Rejected(
          "future: engagement_datetime "
              + UTC_TIME.format(java.time.Instant.ofEpochMilli(millis))
              + " UTC is more than --maxFutureSkew="
              + org.joda.time.Duration.millis(maxFutureSkewMillis)
              + " after the run's start "
              + UTC_TIME.format(java.time.Instant.ofEpochMilli(runStartMillis))
              + " UTC; correct the time at the record's producer (a wrong clock or a placeholder"
              + " date) and replay it, or raise --maxFutureSkew if such times are real",
          JsonLines.engagement(e),
          // The job names the engagement type as the source of a future engagement's dead letter.
          e.engagementType());
    }
    return e;
  }

  private static void reject(List<String> problems, String rawLine) throws Rejected {
    if (!problems.isEmpty()) {
      throw new Rejected(String.join("; ", problems) + FIX, rawLine);
    }
  }

  /** A field a rule covers as text: absent is null (the rule says so), not text is a problem. */
  private static String text(JsonNode node, String name, List<String> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    problems.add("field '" + name + "' must be a string but is " + describe(node));
    return null;
  }

  private static void nonEmpty(String value, String label, List<String> problems) {
    if (value == null) {
      problems.add("missing required " + label);
    } else if (value.isBlank()) {
      problems.add(label + " is empty");
    }
  }

  private static LocalDateTime timestamp(String value, String label, List<String> problems) {
    if (value == null) {
      problems.add("missing required " + label);
      return null;
    }
    try {
      return Timestamps.parse(value, Timestamps.DEFAULT_PATTERN);
    } catch (DateTimeParseException e) {
      problems.add(
          label
              + " '"
              + abbreviate(value)
              + "' is not a valid timestamp (expected "
              + Timestamps.DEFAULT_PATTERN
              + ")");
      return null;
    }
  }

  /** ParseRawRecords' NON_NEGATIVE_INT rule on text; then the SQL's {@code cast(... as int)}. */
  private static long nonNegativeInt(String value, String label, List<String> problems) {
    if (value == null) {
      problems.add("missing required " + label);
      return -1;
    }
    String digits = value.trim();
    if (!WHOLE_NUMBER.matcher(digits).matches()) {
      problems.add(label + " '" + abbreviate(value) + "' is not a whole number");
      return -1;
    }
    long number =
        SIGN_AND_LEADING_ZEROS.matcher(digits).replaceFirst("").length() > 12
            ? (digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE)
            : Long.parseLong(digits);
    if (number < 0) {
      problems.add(label + " is " + number + "; it must be 0 or more");
    } else if (number > Integer.MAX_VALUE) {
      problems.add(label + " is " + number + ", larger than " + Integer.MAX_VALUE);
    }
    return number;
  }

  private static String describe(JsonNode node) {
    String type = node.getNodeType().name().toLowerCase();
    return node.isContainerNode() ? "a " + type : "a " + type + " " + abbreviate(node.toString());
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }

  private static Row engagementRow(Engagement e) {
    return Row.of(
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        e.userId(),
        LocalDateTime.ofEpochSecond(
            Math.floorDiv(e.engagementDatetime().getMillis(), 1000L),
            (int) Math.floorMod(e.engagementDatetime().getMillis(), 1000L) * 1_000_000,
            ZoneOffset.UTC),
        e.engagementType(),
        e.engagementSourceId(),
        e.engagementSeconds(),
        e.eventId());
  }

  private static Row deadLetterRow(DeadLetter d) {
    return Row.of(
        d.source(),
        d.error(),
        d.payload(),
        d.failedAt().toString(),
        d.replayable(),
        d.stage,
        d.attempts(),
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
