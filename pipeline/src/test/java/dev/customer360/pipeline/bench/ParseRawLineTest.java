package dev.customer360.pipeline.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.customer360.pipeline.generator.RawRecordGenerator;
import dev.customer360.transforms.values.Engagement;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.types.Row;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The Flink SQL baseline's parse gives the job's answer: the generator's expected engagements, and
 * a dead letter, with the job's reason, for every bad line and nothing else.
 */
@RunWith(JUnit4.class)
public class ParseRawLineTest {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final long RUN_START =
      LocalDateTime.of(2026, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

  // Positions in ParseRawLine's output row.
  private static final int SOURCE = 0;
  private static final int ERROR = 1;
  private static final int PAYLOAD = 2;
  private static final int REPLAYABLE = 4;
  private static final int USER_ID = 7;
  private static final int DATETIME = 8;
  private static final int TYPE = 9;
  private static final int SOURCE_ID = 10;
  private static final int SECONDS = 11;
  private static final int EVENT_ID = 12;

  private static Row parse(String source, byte[] line) {
    ParseRawLine parse =
        new ParseRawLine(source, RUN_START, FlinkSqlBaseline.MAX_FUTURE_SKEW_MILLIS);
    parse.open(null);
    List<Row> rows = new ArrayList<>();
    parse.setCollector(new ListCollector<>(rows));
    parse.eval(line);
    assertEquals("one row per line", 1, rows.size());
    return rows.get(0);
  }

  private static Row parse(String source, String line) {
    return parse(source, line.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void generatedDataGivesTheExpectedEngagementsAndADeadLetterPerBadLine() {
    RawRecordGenerator.Settings settings = new RawRecordGenerator.Settings();
    settings.seed = 15;
    settings.recordsPerSource = 1500;
    settings.badRate = 0.04;
    RawRecordGenerator.Generated generated = new RawRecordGenerator(settings).generate();

    // By engagement (the fields an event id covers): the longest delivery, the job's keep-rule.
    Map<List<Object>, Map<String, Object>> engagements = new HashMap<>();
    for (Map.Entry<String, List<String>> source : generated.linesBySource.entrySet()) {
      Set<String> bad = new HashSet<>(generated.badLinesBySource.get(source.getKey()));
      int deadLetters = 0;
      for (String line : source.getValue()) {
        Row row = parse(source.getKey(), line);
        if (row.getField(ERROR) == null) {
          assertFalse("a bad line became an engagement: " + line, bad.contains(line));
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("user_id", row.getField(USER_ID));
          e.put("engagement_datetime", TIME.format((LocalDateTime) row.getField(DATETIME)));
          e.put("engagement_type", row.getField(TYPE));
          e.put("engagement_source_id", row.getField(SOURCE_ID));
          e.put("engagement_seconds", row.getField(SECONDS));
          engagements.merge(
              List.of(
                  e.get("user_id"),
                  e.get("engagement_datetime"),
                  e.get("engagement_type"),
                  e.get("engagement_source_id")),
              e,
              (a, b) ->
                  (Integer) a.get("engagement_seconds") >= (Integer) b.get("engagement_seconds")
                      ? a
                      : b);
        } else {
          deadLetters++;
          assertTrue("a good line was dead-lettered: " + line, bad.contains(line));
          assertEquals(source.getKey(), row.getField(SOURCE));
          boolean whole = (boolean) row.getField(REPLAYABLE);
          String payload = (String) row.getField(PAYLOAD);
          // Whole lines are kept; the oversize one keeps its first 4 KiB.
          assertTrue(whole ? payload.equals(line) : line.startsWith(payload));
        }
      }
      assertEquals(bad.size(), deadLetters);
    }
    assertEquals(generated.expectedEngagements, new HashSet<>(engagements.values()));
  }

  @Test
  public void reasonsAreTheJobsReasons() {
    String fix = "; correct the record at its producer and replay it";
    assertEquals(
        "'total_seconds_on_site' is -42; it must be 0 or more" + fix,
        parse(
                ParseRawLine.CLICKSTREAM,
                "{\"event_timestamp\": \"2020-03-01 10:00:00\", \"user_id\": \"u\","
                    + " \"site_id\": \"s\", \"total_seconds_on_site\": -42}")
            .getField(ERROR));
    assertEquals(
        "'xml' //call_log/call_time_seconds 'forty' is not a whole number" + fix,
        parse(
                ParseRawLine.CALL_LOG,
                "{\"xml\": \"<call_log><call_id>c</call_id><user_id>u</user_id><start_time>"
                    + "2020-03-01 10:00:00</start_time><call_time_seconds>forty"
                    + "</call_time_seconds></call_log>\"}")
            .getField(ERROR));
    assertEquals(
        "record is a JSON array, expected a JSON object with the fields of clickstream" + fix,
        parse(ParseRawLine.CLICKSTREAM, "[1, 2]").getField(ERROR));
  }

  @Test
  public void bytesThatAreNotUtf8AreADeadLetterShowingTheBytes() {
    byte[] line = {'{', '"', (byte) 0xC3, '"', '}'};
    Row row = parse(ParseRawLine.CLICKSTREAM, line);
    assertTrue(
        (String) row.getField(ERROR),
        ((String) row.getField(ERROR))
            .startsWith("record is not valid UTF-8 (invalid byte 0xC3 at byte 3 of the line)"));
    assertEquals("{\"\\xC3\"}", row.getField(PAYLOAD));
  }

  @Test
  public void idsAreNormalizedBeforeTheEventIdIsHashed() {
    Row row =
        parse(
            ParseRawLine.CLICKSTREAM,
            "\uFEFF{\"event_timestamp\": \"2020-03-01 10:00:00\", \"user_id\": \"u1\\u200B\","
                + " \"site_id\": \" site-1 \", \"total_seconds_on_site\": 5}");
    assertNull(row.getField(ERROR));
    assertEquals("u1", row.getField(USER_ID));
    assertEquals("site-1", row.getField(SOURCE_ID));
    long millis = LocalDateTime.of(2020, 3, 1, 10, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
    assertEquals(
        Engagement.eventIdOf("website", "u1", "site-1", Instant.ofEpochMilli(millis)),
        row.getField(EVENT_ID));
  }

  @Test
  public void anEngagementFarInTheFutureIsADeadLetterOfItsType() {
    Row row =
        parse(
            ParseRawLine.CLICKSTREAM,
            "{\"event_timestamp\": \"2026-01-01 00:10:01\", \"user_id\": \"u\","
                + " \"site_id\": \"s\", \"total_seconds_on_site\": 5}");
    assertEquals("website", row.getField(SOURCE));
    assertTrue(
        (String) row.getField(ERROR),
        ((String) row.getField(ERROR))
            .startsWith(
                "future: engagement_datetime 2026-01-01 00:10:01 UTC is more than"
                    + " --maxFutureSkew=PT600S after the run's start 2026-01-01 00:00:00 UTC"));
    assertTrue(
        "10 minutes ahead is accepted",
        parse(
                    ParseRawLine.CLICKSTREAM,
                    "{\"event_timestamp\": \"2026-01-01 00:10:00\", \"user_id\": \"u\","
                        + " \"site_id\": \"s\", \"total_seconds_on_site\": 5}")
                .getField(ERROR)
            == null);
  }
}
