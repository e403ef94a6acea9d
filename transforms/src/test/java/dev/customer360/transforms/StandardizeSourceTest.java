package dev.customer360.transforms;

import static dev.customer360.transforms.TestRecords.CALL_ID;
import static dev.customer360.transforms.TestRecords.SEED_CALL_LOG;
import static dev.customer360.transforms.TestRecords.SEED_CLICKSTREAM;
import static dev.customer360.transforms.TestRecords.SITE_ID;
import static dev.customer360.transforms.TestRecords.USER;
import static dev.customer360.transforms.TestRecords.callLog;
import static dev.customer360.transforms.TestRecords.clickstream;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import dev.customer360.transforms.sql.StandardizationSql;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.JsonLines;
import dev.customer360.transforms.values.RawRecord;
import dev.customer360.transforms.values.RawRecordCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The seed's records come out as the seed shows; every kind of bad input is dead-lettered. */
@RunWith(JUnit4.class)
public class StandardizeSourceTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static PCollectionTuple standardize(
      PCollection<RawRecord> lines, SourceDefinition source) {
    return lines.apply(
        StandardizeSource.of(source, StandardizationSql.fromClasspath(source.name())));
  }

  private PCollectionTuple standardize(SourceDefinition source, String... lines) {
    return standardize(pipeline.apply(TestRecords.records(lines)), source);
  }

  /** Like {@link #standardize(SourceDefinition, String...)}, for several sources in one test. */
  private PCollectionTuple standardizeNamed(String name, SourceDefinition source, String... lines) {
    return pipeline
        .apply("Create" + name, TestRecords.records(lines))
        .apply(
            "Standardize" + name,
            StandardizeSource.of(source, StandardizationSql.fromClasspath(source.name())));
  }

  private static PCollection<String> json(PCollection<Engagement> engagements) {
    return engagements.apply(
        MapElements.into(TypeDescriptors.strings()).via(JsonLines::engagement));
  }

  @Test
  public void seedCallLogComesOutAsTheSeedShows() {
    PCollectionTuple out = standardize(StandardSources.CALL_LOG, SEED_CALL_LOG);
    PAssert.that(json(out.get(StandardizeSource.ENGAGEMENTS)))
        .containsInAnyOrder(
            "{\"user_id\":\""
                + USER
                + "\",\"engagement_datetime\":\"2020-03-04 13:15:12\","
                + "\"engagement_type\":\"sales call\",\"engagement_source_id\":\""
                + CALL_ID
                + "\",\"engagement_seconds\":207,\"event_id\":\""
                + Engagement.eventIdOf(
                    "sales call", USER, CALL_ID, Instant.parse("2020-03-04T13:15:12Z"))
                + "\"}");
    PAssert.that(out.get(StandardizeSource.DEAD_LETTERS)).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void seedClickstreamComesOutAsTheSeedShows() {
    PCollectionTuple out = standardize(StandardSources.CLICKSTREAM, SEED_CLICKSTREAM);
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS))
        .containsInAnyOrder(
            Engagement.of(USER, Instant.parse("2020-11-16T14:32:19Z"), "website", SITE_ID, 426));
    PAssert.that(out.get(StandardizeSource.DEAD_LETTERS)).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void validInputInEveryAllowedShapeIsStandardized() {
    String declarationCdataWhitespace =
        callLog(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<call_log>\n  <call_time_seconds> 12 "
                + "</call_time_seconds>\n  <start_time>2020-03-04 10:00:00</start_time>\n"
                + "  <user_id><![CDATA[u-1]]></user_id>\n  <call_id>c-1</call_id>\n</call_log>");
    String escapedAndReordered =
        "{\"extra\": {\"nested\": [1, 2]}, \"xml\": \"\\u003ccall_log\\u003e\\u003cuser_id\\u003eu-2"
            + "\\u003c/user_id\\u003e\\u003ccall_id\\u003ec-2\\u003c/call_id\\u003e\\u003cstart_time"
            + "\\u003e2020-03-04 11:00:00\\u003c/start_time\\u003e\\u003ccall_time_seconds\\u003e0"
            + "\\u003c/call_time_seconds\\u003e\\u003c/call_log\\u003e\", \"log_datatime\": null}";
    String withBom = "\uFEFF" + callLog("u-3", "2020-03-04 12:00:00", "c-3", "5");
    PCollectionTuple out =
        standardize(
            StandardSources.CALL_LOG, declarationCdataWhitespace, escapedAndReordered, withBom);
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS))
        .containsInAnyOrder(
            Engagement.of("u-1", Instant.parse("2020-03-04T10:00:00Z"), "sales call", "c-1", 12),
            Engagement.of("u-2", Instant.parse("2020-03-04T11:00:00Z"), "sales call", "c-2", 0),
            Engagement.of("u-3", Instant.parse("2020-03-04T12:00:00Z"), "sales call", "c-3", 5));
    PAssert.that(out.get(StandardizeSource.DEAD_LETTERS)).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void oddTypesInFieldsNoRuleCoversDoNotCostTheRecord() {
    String odd =
        "{\"event_timestamp\": \"2020-11-16 14:32:19\", \"user_id\": \"u\", \"site_id\": \"s\","
            + " \"pages_visited\": \"8\", \"total_seconds_on_site\": 5,"
            + " \"avg_percent_viewed\": {\"nested\": true}}";
    PCollectionTuple out = standardize(StandardSources.CLICKSTREAM, odd);
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS))
        .containsInAnyOrder(
            Engagement.of("u", Instant.parse("2020-11-16T14:32:19Z"), "website", "s", 5));
    PAssert.that(out.get(StandardizeSource.DEAD_LETTERS)).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void sourceTimeZoneIsAppliedToZonelessTimestamps() {
    PCollection<RawRecord> lines =
        pipeline.apply(TestRecords.records(clickstream("u", "2020-07-01 12:00:00", "s", 1)));
    PCollectionTuple out =
        lines.apply(
            StandardizeSource.of(
                    StandardSources.CLICKSTREAM, StandardizationSql.fromClasspath("clickstream"))
                .withSourceTimeZone(ZoneId.of("Europe/Tallinn")));
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS))
        .containsInAnyOrder(
            Engagement.of("u", Instant.parse("2020-07-01T09:00:00Z"), "website", "s", 1));
    pipeline.run().waitUntilFinish();
  }

  /** The README's point-of-sale source: its timestamps carry their own offset ({@code X}). */
  static final SourceDefinition POS_TRANSACTION =
      SourceDefinition.of(
          "pos_transaction",
          org.apache.beam.sdk.schemas.Schema.builder()
              .addNullableField("created_at", org.apache.beam.sdk.schemas.Schema.FieldType.STRING)
              .addNullableField("user_id", org.apache.beam.sdk.schemas.Schema.FieldType.STRING)
              .addNullableField(
                  "transaction_id", org.apache.beam.sdk.schemas.Schema.FieldType.STRING)
              .build(),
          List.of(
              FieldRule.json("user_id", FieldRule.Kind.NON_EMPTY_TEXT),
              FieldRule.json("created_at", FieldRule.Kind.TIMESTAMP)
                  .withPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX"),
              FieldRule.json("transaction_id", FieldRule.Kind.NON_EMPTY_TEXT)));

  static final StandardizationSql POS_TRANSACTION_SQL =
      StandardizationSql.parse(
          "pos_transaction.sql",
          "insert into transformed select user_id,"
              + " to_timestamp(created_at, 'yyyy-MM-dd''T''HH:mm:ss.SSSX') as engagement_datetime,"
              + " 'purchase' as engagement_type, transaction_id as engagement_source_id,"
              + " 0 as engagement_seconds from `pos_transaction`");

  @Test
  public void timestampsWithTheirOwnOffsetKeepItWhateverTheSourceTimeZone() {
    PCollection<RawRecord> lines =
        pipeline.apply(
            TestRecords.records(
                "{\"created_at\": \"2020-11-16T14:32:19.000Z\", \"user_id\": \"u\","
                    + " \"transaction_id\": \"tx-1\"}",
                "{\"created_at\": \"2020-07-01T12:00:00.000+03\", \"user_id\": \"u\","
                    + " \"transaction_id\": \"tx-2\"}"));
    PCollectionTuple out =
        lines.apply(
            StandardizeSource.of(POS_TRANSACTION, POS_TRANSACTION_SQL)
                .withSourceTimeZone(ZoneId.of("Europe/Tallinn")));
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS))
        .containsInAnyOrder(
            Engagement.of("u", Instant.parse("2020-11-16T14:32:19Z"), "purchase", "tx-1", 0),
            Engagement.of("u", Instant.parse("2020-07-01T09:00:00Z"), "purchase", "tx-2", 0));
    PAssert.that(out.get(StandardizeSource.DEAD_LETTERS)).empty();
    pipeline.run().waitUntilFinish();
  }

  private static final String ISO_PATTERN_IN_SQL = "'yyyy-MM-dd''T''HH:mm:ssX'";

  /**
   * The bundled clickstream SQL as an operator changes it when a producer starts sending ISO-8601
   * times with an offset: the SQL change alone makes the source accept them.
   */
  static final String CLICKSTREAM_OR_ISO_TEXT = clickstreamSqlReadingIso();

  static final StandardizationSql CLICKSTREAM_OR_ISO =
      StandardizationSql.parse("clickstream.sql", CLICKSTREAM_OR_ISO_TEXT);

  private static String clickstreamSqlReadingIso() {
    try (InputStream in =
        StandardizeSourceTest.class.getClassLoader().getResourceAsStream("sql/clickstream.sql")) {
      String bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String call = "to_timestamp(event_timestamp)";
      if (!bundled.contains(call)) {
        throw new IllegalStateException("the bundled clickstream SQL no longer calls " + call);
      }
      return bundled.replace(
          call,
          "coalesce(to_timestamp(event_timestamp), to_timestamp(event_timestamp, "
              + ISO_PATTERN_IN_SQL
              + "))");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  public void theBundledClickstreamSqlRejectsIsoTimesAtTheRules() {
    PCollectionTuple out =
        standardize(StandardSources.CLICKSTREAM, clickstream("u", "2020-11-16T14:32:19Z", "s", 1));
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS)).empty();
    PAssert.that(
            out.get(StandardizeSource.DEAD_LETTERS)
                .apply(MapElements.into(TypeDescriptors.strings()).via(DeadLetter::error)))
        .containsInAnyOrder(
            "'event_timestamp' '2020-11-16T14:32:19Z' is not a valid timestamp"
                + " (expected yyyy-MM-dd HH:mm:ss)"
                + RejectionReasons.FIX);
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void anSqlDirCopyThatAlsoReadsIsoTimesAcceptsThem() throws IOException {
    Path sqlDir = tmp.newFolder("sql").toPath();
    Files.writeString(sqlDir.resolve("clickstream.sql"), CLICKSTREAM_OR_ISO_TEXT);
    PCollectionTuple out =
        pipeline
            .apply(
                TestRecords.records(
                    clickstream("u-1", "2020-11-16T14:32:19Z", "s", 1),
                    clickstream("u-2", "2020-11-16T16:32:19+02", "s", 2),
                    clickstream("u-3", "2020-11-16 14:32:19", "s", 3),
                    clickstream("u-4", "16.11.2020 14:32", "s", 4)))
            .apply(
                StandardizeSource.of(
                    StandardSources.CLICKSTREAM,
                    StandardizationSql.fromDirectory(sqlDir, "clickstream")));
    Instant instant = Instant.parse("2020-11-16T14:32:19Z");
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS))
        .containsInAnyOrder(
            Engagement.of("u-1", instant, "website", "s", 1),
            Engagement.of("u-2", instant, "website", "s", 2),
            Engagement.of("u-3", instant, "website", "s", 3));
    PAssert.that(
            out.get(StandardizeSource.DEAD_LETTERS)
                .apply(MapElements.into(TypeDescriptors.strings()).via(DeadLetter::error)))
        .containsInAnyOrder(
            "'event_timestamp' '16.11.2020 14:32' is not a valid timestamp"
                + " (expected yyyy-MM-dd HH:mm:ss or yyyy-MM-dd'T'HH:mm:ssX)"
                + RejectionReasons.FIX);
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void formatsWithAndWithoutOffsetNeedTheSourceTimeZoneUtc() {
    StandardizeSource inUtc = StandardizeSource.of(StandardSources.CLICKSTREAM, CLICKSTREAM_OR_ISO);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> inUtc.withSourceTimeZone(ZoneId.of("Europe/Tallinn")));
    assertEquals(
        "clickstream.sql: source 'clickstream' accepts timestamps with an offset"
            + " (yyyy-MM-dd'T'HH:mm:ssX) and without (yyyy-MM-dd HH:mm:ss), but the zone-less ones"
            + " would need the source time zone Europe/Tallinn and the others must not get it;"
            + " make every to_timestamp pattern in the SQL read an offset, or run with the source"
            + " time zone UTC",
        e.getMessage());

    // The region "UTC" is the zone UTC: both formats read as the instants they name.
    PCollectionTuple out =
        pipeline
            .apply(
                TestRecords.records(
                    clickstream("u-1", "2020-07-01T12:00:00+03", "s", 1),
                    clickstream("u-2", "2020-07-01 09:00:00", "s", 2)))
            .apply(inUtc.withSourceTimeZone(ZoneId.of("UTC")));
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS))
        .containsInAnyOrder(
            Engagement.of("u-1", Instant.parse("2020-07-01T09:00:00Z"), "website", "s", 1),
            Engagement.of("u-2", Instant.parse("2020-07-01T09:00:00Z"), "website", "s", 2));
    PAssert.that(out.get(StandardizeSource.DEAD_LETTERS)).empty();
    pipeline.run().waitUntilFinish();
  }

  /** Reason fragments expected for each bad call log, keyed by the record. */
  private static Map<String, String> badCallLogs() {
    Map<String, String> bad = new TreeMap<>();
    bad.put("{\"xml\": \"<call_log>", "not valid JSON");
    bad.put("not json at all", "not valid JSON");
    bad.put("", "empty record");
    bad.put("[1, 2, 3]", "record is a JSON array");
    bad.put("\"just a string\"", "record is a JSON string");
    bad.put("{\"log_datatime\": \"2020-03-04 13:19:22\"}", "missing required field 'xml'");
    bad.put("{\"xml\": 42}", "field 'xml' must be a string but is a number 42");
    bad.put(callLog("<call_log><user_id>u</user_id>"), "XML is not well-formed");
    bad.put(callLog("u", "2020-13-45 99:99:99", "c", "5"), "is not a valid timestamp");
    bad.put(callLog("u", "2021-02-29 10:00:00", "c", "5"), "is not a valid timestamp");
    bad.put(callLog("u", "2020-03-04 10:00:00", "c", "-5"), "it must be 0 or more");
    bad.put(callLog("u", "2020-03-04 10:00:00", "c", "twelve"), "is not a whole number");
    bad.put(callLog("u", "2020-03-04 10:00:00", "c", "99999999999"), "larger than");
    bad.put(callLog("", "2020-03-04 10:00:00", "c", "5"), "//call_log/user_id is empty");
    bad.put(
        callLog(
            "<call_log><user_id>u</user_id><start_time>2020-03-04 10:00:00</start_time>"
                + "<call_time_seconds>1</call_time_seconds></call_log>"),
        "missing required 'xml' //call_log/call_id");
    bad.put(
        callLog(
            "<?xml version=\"1.0\"?><!DOCTYPE call_log [<!ENTITY xxe SYSTEM"
                + " \"file:///etc/passwd\">]><call_log><user_id>&xxe;</user_id><call_id>c</call_id>"
                + "<start_time>2020-03-04 10:00:00</start_time><call_time_seconds>1"
                + "</call_time_seconds></call_log>"),
        "DOCTYPE");
    bad.put(
        callLog(
            "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
                + "<call_log><user_id>&lol2;</user_id><call_id>c</call_id><start_time>2020-03-04"
                + " 10:00:00</start_time><call_time_seconds>1</call_time_seconds></call_log>"),
        "DOCTYPE");
    bad.put(
        callLog(
            "<call_log><user_id>&undeclared;</user_id><call_id>c</call_id><start_time>"
                + "2020-03-04 10:00:00</start_time><call_time_seconds>1</call_time_seconds></call_log>"),
        "XML");
    bad.put("{\"xml\": \"<call_log/>\", \"xml\": \"<x/>\"}", "Duplicate field 'xml'");
    bad.put("{\"xml\": \"<call_log/>\"} trailing", "not valid JSON");
    return bad;
  }

  @Test
  public void everyKindOfBadCallLogIsDeadLetteredWithAReasonAndGoodOnesStillComeOut() {
    Map<String, String> bad = badCallLogs();
    List<String> lines = new ArrayList<>(bad.keySet());
    lines.add(SEED_CALL_LOG);
    lines.add(callLog("u-ok", "2020-03-04 10:00:00", "c-ok", "1"));
    PCollectionTuple out = standardize(StandardSources.CALL_LOG, lines.toArray(new String[0]));

    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS))
        .satisfies(
            engagements -> {
              List<String> users = new ArrayList<>();
              engagements.forEach(e -> users.add(e.userId()));
              assertThat(users, hasSize(2));
              assertThat(users, org.hamcrest.Matchers.containsInAnyOrder(USER, "u-ok"));
              return null;
            });
    PAssert.that(out.get(StandardizeSource.DEAD_LETTERS))
        .satisfies(
            deadLetters -> {
              Map<String, DeadLetter> byPayload = new TreeMap<>();
              deadLetters.forEach(d -> byPayload.put(d.payload(), d));
              assertEquals(bad.keySet(), byPayload.keySet());
              bad.forEach(
                  (line, reason) -> {
                    DeadLetter d = byPayload.get(line);
                    assertEquals("call_log", d.source());
                    assertThat(line, d.error(), containsString(reason));
                    assertThat(d.error(), containsString("replay"));
                  });
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void badClickstreamRecordsAreDeadLettered() {
    Map<String, String> bad = new TreeMap<>();
    bad.put(clickstream("u", "2020-11-16 14:32:19", "s", -1), "it must be 0 or more");
    bad.put(clickstream("", "2020-11-16 14:32:19", "s", 1), "'user_id' is empty");
    bad.put(clickstream("u", "2020-11-16", "s", 1), "is not a valid timestamp");
    bad.put(clickstream("u", "2020-11-16 14:32:19", "", 1), "'site_id' is empty");
    bad.put(
        "{\"event_timestamp\": \"2020-11-16 14:32:19\", \"user_id\": \"u\", \"site_id\": \"s\","
            + " \"total_seconds_on_site\": \"426\"}",
        "field 'total_seconds_on_site' must be a whole number (32-bit) but is a string");
    bad.put(
        "{\"event_timestamp\": \"2020-11-16 14:32:19\", \"user_id\": \"u\", \"site_id\": \"s\","
            + " \"total_seconds_on_site\": 4.5}",
        "must be a whole number");
    bad.put(
        "{\"event_timestamp\": \"2020-11-16 14:32:19\", \"user_id\": 17, \"site_id\": \"s\","
            + " \"total_seconds_on_site\": 4}",
        "field 'user_id' must be a string but is a number 17");
    bad.put(
        "{\"event_timestamp\": \"2020-11-16 14:32:19\", \"site_id\": \"s\","
            + " \"total_seconds_on_site\": 4}",
        "missing required 'user_id'");
    bad.put("{}", "missing required 'user_id'");
    bad.put("null", "record is a JSON null");
    List<String> lines = new ArrayList<>(bad.keySet());
    lines.add(SEED_CLICKSTREAM);
    PCollectionTuple out = standardize(StandardSources.CLICKSTREAM, lines.toArray(new String[0]));
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS))
        .containsInAnyOrder(
            Engagement.of(USER, Instant.parse("2020-11-16T14:32:19Z"), "website", SITE_ID, 426));
    PAssert.that(out.get(StandardizeSource.DEAD_LETTERS))
        .satisfies(
            deadLetters -> {
              Map<String, DeadLetter> byPayload = new TreeMap<>();
              deadLetters.forEach(d -> byPayload.put(d.payload(), d));
              assertEquals(bad.keySet(), byPayload.keySet());
              bad.forEach(
                  (line, reason) -> {
                    assertEquals("clickstream", byPayload.get(line).source());
                    assertThat(line, byPayload.get(line).error(), containsString(reason));
                  });
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void idsAreNormalizedAlikeInEverySource() {
    PCollectionTuple calls =
        standardizeNamed(
            "CallLogs",
            StandardSources.CALL_LOG,
            callLog(" u1 ", "2020-03-04 13:15:12", "\u00A0c1\u200B", "5"),
            callLog("cafe\u0301", "2020-03-04 13:15:12", "c2", "5"));
    PCollectionTuple clicks =
        standardizeNamed(
            "Clickstream",
            StandardSources.CLICKSTREAM,
            clickstream(" u1 ", "2020-11-16 14:32:19", "\\ufeffs1 ", 5),
            clickstream("\\u00a0u1\\u3000", "2020-11-16 14:32:19", "s2", 5),
            clickstream("cafe\\u0301", "2020-11-16 14:32:19", "s3", 5));
    Instant call = Instant.parse("2020-03-04T13:15:12Z");
    Instant click = Instant.parse("2020-11-16T14:32:19Z");
    PAssert.that(calls.get(StandardizeSource.ENGAGEMENTS))
        .containsInAnyOrder(
            Engagement.of("u1", call, "sales call", "c1", 5),
            Engagement.of("caf\u00E9", call, "sales call", "c2", 5));
    PAssert.that(clicks.get(StandardizeSource.ENGAGEMENTS))
        .containsInAnyOrder(
            Engagement.of("u1", click, "website", "s1", 5),
            Engagement.of("u1", click, "website", "s2", 5),
            Engagement.of("caf\u00E9", click, "website", "s3", 5));
    PAssert.that(calls.get(StandardizeSource.DEAD_LETTERS)).empty();
    PAssert.that(clicks.get(StandardizeSource.DEAD_LETTERS)).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void idsBlankInAllButNameOrWithControlCharactersAreDeadLettered() {
    PCollectionTuple calls =
        standardizeNamed(
            "CallLogs",
            StandardSources.CALL_LOG,
            callLog("\u200B", "2020-03-04 13:15:12", "c1", "5"),
            callLog("a\u0085b", "2020-03-04 13:15:12", "c2", "5"),
            SEED_CALL_LOG);
    PCollectionTuple clicks =
        standardizeNamed(
            "Clickstream",
            StandardSources.CLICKSTREAM,
            clickstream("\\u00a0", "2020-11-16 14:32:19", "s", 5),
            clickstream("\\u200b", "2020-11-16 14:32:19", "s", 5),
            clickstream("\\ufeff", "2020-11-16 14:32:19", "s", 5),
            // Without the check these two would hash to one event id (NUL joins the fields).
            clickstream("a\\u0000b", "2020-11-16 14:32:19", "c", 5),
            clickstream("a", "2020-11-16 14:32:19", "b\\u0000c", 5),
            SEED_CLICKSTREAM);
    PAssert.that(calls.get(StandardizeSource.ENGAGEMENTS)).satisfies(hasOne());
    PAssert.that(clicks.get(StandardizeSource.ENGAGEMENTS)).satisfies(hasOne());
    PAssert.that(calls.get(StandardizeSource.DEAD_LETTERS))
        .satisfies(
            errors(
                "user_id is missing or empty",
                "user_id contains control character U+0085 at character 2"));
    PAssert.that(clicks.get(StandardizeSource.DEAD_LETTERS))
        .satisfies(
            errors(
                "user_id is missing or empty",
                "user_id is missing or empty",
                "user_id is missing or empty",
                "user_id contains control character U+0000 at character 2",
                "engagement_source_id contains control character U+0000 at character 2"));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void everyDeadLetterNamesTheStepItFailedAtAndWhetherItCanBeReplayed() {
    String notJson = "{\"user_id\": ";
    String negative = clickstream("u", "2020-11-16 14:32:19", "s", -1);
    String controlCharacter = clickstream("a\\u0000b", "2020-11-16 14:32:19", "c", 5);
    PCollectionTuple out =
        standardize(StandardSources.CLICKSTREAM, notJson, negative, controlCharacter);
    PAssert.that(out.get(StandardizeSource.DEAD_LETTERS))
        .satisfies(
            deadLetters -> {
              Map<String, String> stageByError = new TreeMap<>();
              for (DeadLetter d : deadLetters) {
                assertEquals(1, d.attempts());
                String kind =
                    d.error().contains("not valid JSON")
                        ? "json"
                        : d.error().contains("0 or more") ? "negative" : "control";
                stageByError.put(kind, d.stage().column() + (d.replayable() ? "" : " (not)"));
                if (d.stage() != DeadLetter.Stage.VALIDATE) {
                  assertThat(
                      List.of(notJson, negative), org.hamcrest.Matchers.hasItem(d.payload()));
                }
              }
              // After the SQL the raw record is gone: a validation failure cannot be replayed.
              assertEquals(
                  Map.of("json", "parse", "negative", "rules", "control", "validate (not)"),
                  stageByError);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  /** A read hands on what it could not read whole; the dead letter is made here, stage read. */
  @Test
  public void aRecordTheReadCouldNotReadIsDeadLetteredAtTheReadStageWithItsReason() {
    String good = clickstream("u", "2020-11-16 14:32:19", "7", 1);
    String reason = "the line starting at byte offset 0 of /data/c.jsonl is not valid UTF-8";
    RawRecord unreadable =
        RawRecord.at("{\"user_id\":\"abc\\xFF\"}", RawRecord.byteOf("/data/c.jsonl"), 0)
            .unreadable(reason);
    PCollectionTuple out =
        pipeline
            .apply(Create.of(RawRecord.of(good), unreadable).withCoder(RawRecordCoder.of()))
            .apply(
                StandardizeSource.of(
                    StandardSources.CLICKSTREAM, StandardizationSql.fromClasspath("clickstream")));
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS).apply(Count.globally()))
        .containsInAnyOrder(1L);
    PAssert.that(out.get(StandardizeSource.DEAD_LETTERS))
        .satisfies(
            deadLetters -> {
              DeadLetter d = TestRecords.onlyOne(deadLetters);
              assertEquals(DeadLetter.Stage.READ, d.stage());
              assertEquals("clickstream", d.source());
              assertEquals(reason, d.error());
              assertEquals("{\"user_id\":\"abc\\xFF\"}", d.payload());
              assertEquals("file:/data/c.jsonl byte 0", d.origin());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void everyDeadLetterOfARecordNamesWhereItCameFromAndOneTheSqlFailedOnKeepsItsLine() {
    // SQL that fails on a record whose site id is not a number: a dead letter of the SQL stage.
    StandardizationSql castsSiteIds =
        StandardizationSql.parse(
            "casts.sql",
            "insert into transformed select user_id,"
                + " to_timestamp(event_timestamp) as engagement_datetime,"
                + " 'website' as engagement_type, site_id as engagement_source_id,"
                + " cast(site_id as int) as engagement_seconds from `clickstream`");
    String good = clickstream("u", "2020-11-16 14:32:19", "7", 1);
    String sqlFails = clickstream("u", "2020-11-16 14:32:19", "s", 1);
    String notJson = "{\"user_id\": ";
    String invalid = clickstream("\\u200b", "2020-11-16 14:32:19", "8", 1);
    PCollectionTuple out =
        pipeline
            .apply(
                Create.of(
                        RawRecord.at(good, RawRecord.lineOf("/data/clicks.jsonl.gz"), 1),
                        RawRecord.at(sqlFails, RawRecord.byteOf("/data/clicks.jsonl"), 12345),
                        RawRecord.at(notJson, RawRecord.kafkaOffsetOf("clicks", 3), 1042),
                        RawRecord.at(invalid, RawRecord.lineOf("/data/clicks.jsonl.gz"), 4))
                    .withCoder(RawRecordCoder.of()))
            .apply(StandardizeSource.of(StandardSources.CLICKSTREAM, castsSiteIds));
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS)).satisfies(hasOne());
    PAssert.that(
            out.get(StandardizeSource.DEAD_LETTERS)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(d -> d.stage().column() + " " + d.origin())))
        .containsInAnyOrder(
            "sql file:/data/clicks.jsonl byte 12345",
            "parse kafka:clicks/3@1042",
            // The SQL carries the origin through to its output.
            "validate file:/data/clicks.jsonl.gz line 4");
    PAssert.that(
            out.get(StandardizeSource.DEAD_LETTERS)
                .apply(
                    "SqlPayloads",
                    MapElements.into(TypeDescriptors.strings())
                        .via(d -> d.stage().column() + " " + d.payload())))
        .satisfies(
            stageAndPayload -> {
              // The raw line, replayable; the SQL's output without the columns it carried.
              assertThat(
                  toList(stageAndPayload),
                  org.hamcrest.Matchers.hasItems(
                      "sql " + sqlFails,
                      "validate {user_id=\u200B, engagement_datetime=2020-11-16T14:32:19.000Z,"
                          + " engagement_type=website, engagement_source_id=8,"
                          + " engagement_seconds=8}"));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  private static org.apache.beam.sdk.transforms.SerializableFunction<Iterable<Engagement>, Void>
      hasOne() {
    return engagements -> {
      assertThat(toList(engagements), hasSize(1));
      return null;
    };
  }

  /** Exactly these dead letters, one reason fragment each, in any order. */
  private static org.apache.beam.sdk.transforms.SerializableFunction<Iterable<DeadLetter>, Void>
      errors(String... fragments) {
    return deadLetters -> {
      List<String> errors = new ArrayList<>();
      deadLetters.forEach(d -> errors.add(d.error()));
      assertThat(errors.toString(), errors, hasSize(fragments.length));
      List<String> unmatched = new ArrayList<>(errors);
      for (String fragment : fragments) {
        String match =
            unmatched.stream().filter(e -> e.contains(fragment)).findFirst().orElse(null);
        assertThat(fragment + " in " + errors, match, org.hamcrest.Matchers.notNullValue());
        assertThat(match, containsString("correct the record at its producer"));
        unmatched.remove(match);
      }
      return null;
    };
  }

  @Test
  public void oversizeRecordIsDeadLetteredWithoutParsingAndCutAt4KiB() {
    // Over the default --maxRecordBytes (1 MiB), so also over the 512 KiB a dead letter keeps
    // whole: the dead letter keeps the record's first 4 KiB as written in a JSON string.
    String head = "{\"log_datatime\": \"2020-03-04 13:19:22\", \"xml\": \"<call_log><pad>";
    String huge =
        head
            + "x".repeat(1100 * 1024)
            + "</pad><call_id>c</call_id><user_id>u</user_id><start_time>2020-03-04 10:00:00"
            + "</start_time><call_time_seconds>1</call_time_seconds></call_log>\"}";
    // The head's 7 quotes take 2 bytes each in JSON (\"), every other character 1.
    String first4KiB = head + "x".repeat(4096 - head.length() - 7);
    PCollection<RawRecord> lines = pipeline.apply(TestRecords.records(huge, SEED_CALL_LOG));
    PCollectionTuple out = standardize(lines, StandardSources.CALL_LOG);
    PAssert.that(out.get(StandardizeSource.ENGAGEMENTS))
        .satisfies(
            engagements -> {
              assertThat(List.copyOf(toList(engagements)), hasSize(1));
              return null;
            });
    PAssert.that(out.get(StandardizeSource.DEAD_LETTERS))
        .satisfies(
            deadLetters -> {
              List<DeadLetter> all = toList(deadLetters);
              assertThat(all, hasSize(1));
              DeadLetter d = all.get(0);
              assertThat(
                  d.error(),
                  containsString(
                      "record is "
                          + huge.length()
                          + " bytes, over the --maxRecordBytes limit of 1048576"));
              assertEquals(first4KiB, d.payload());
              assertFalse("a cut payload cannot be replayed", d.replayable());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void sqlThatDoesNotSelectTheEngagementColumnsIsRejectedAtConstruction() {
    PCollection<RawRecord> lines = pipeline.apply(TestRecords.records(SEED_CLICKSTREAM));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                lines.apply(
                    StandardizeSource.of(
                        StandardSources.CLICKSTREAM,
                        StandardizationSql.parse(
                            "bad.sql",
                            "insert into transformed select user_id from clickstream"))));
    assertThat(e.getMessage(), containsString("missing column 'engagement_datetime'"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void sqlErrorsNameTheFileLineAndColumn() {
    PCollection<RawRecord> lines = pipeline.apply(TestRecords.records(SEED_CLICKSTREAM));
    String unknownColumn =
        "-- typo on line 3\ninsert into transformed\nselect usr_id, to_timestamp(event_timestamp) as"
            + " engagement_datetime from `clickstream`";
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                lines.apply(
                    "UnknownColumn",
                    StandardizeSource.of(
                        StandardSources.CLICKSTREAM,
                        StandardizationSql.parse("typo.sql", unknownColumn))));
    assertThat(
        e.getMessage(), containsString("typo.sql:3:8: Column 'usr_id' not found in any table"));
    assertThat(e.getMessage(), containsString("\n    3 | select usr_id,"));
    assertThat(e.getMessage(), containsString("\n      |        ^\n"));

    IllegalArgumentException parse =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                lines.apply(
                    "ParseError",
                    StandardizeSource.of(
                        StandardSources.CLICKSTREAM,
                        StandardizationSql.parse(
                            "parse.sql", "select user_id\nform `clickstream`"))));
    assertThat(parse.getMessage(), containsString("parse.sql:2:"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  private static <T> List<T> toList(Iterable<T> items) {
    List<T> list = new ArrayList<>();
    items.forEach(list::add);
    return list;
  }
}
