package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.customer360.io.postgres.PostgresConnection;
import dev.customer360.io.postgres.PostgresTable;
import dev.customer360.transforms.MetricNames;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * A replay reading the dead letters a run wrote to Kafka ({@code --replay=kafka:<topic>}) and to
 * PostgreSQL ({@code --replay=postgres}) on real servers: with an {@code --sqlDir} whose
 * clickstream SQL also reads ISO-8601 times, the records rejected only for such a time come out as
 * engagements; the others fail again, one attempt more. Replaying into PostgreSQL twice writes each
 * recovered engagement once: the second replay finds them all already present.
 */
@RunWith(JUnit4.class)
public class ReplayFromSinksIT {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String DEAD_LETTER_TOPIC = "run1.dead_letters";

  private static KafkaTestBroker broker;
  private static EmbeddedPostgres postgres;
  private static String url;
  private static Path callLog;
  private static Path clickstream;
  private static Path sqlDir;

  /** Clickstream records whose only fault, for the stock SQL, is an ISO-8601 time. */
  private static final List<String> ISO_SITES = List.of("site-iso-1", "site-iso-2", "site-iso-3");

  /** Records no SQL change recovers: not JSON, negative seconds, an array. */
  private static final Map<String, String> STILL_FAILING_BY_PAYLOAD = new LinkedHashMap<>();

  @BeforeClass
  public static void setUp() throws Exception {
    broker = new KafkaTestBroker();
    postgres = EmbeddedPostgres.builder().start();
    url = postgres.getJdbcUrl("postgres", "postgres");
    Path data = TMP.newFolder("data").toPath();
    String broken = "{\"broken\": \"bad-1\", ";
    String negative = click("site-neg", "2020-11-16 12:00:00", -42);
    String array = "[\"bad-call\", 1, 2]";
    STILL_FAILING_BY_PAYLOAD.put(broken, "clickstream");
    STILL_FAILING_BY_PAYLOAD.put(negative, "clickstream");
    STILL_FAILING_BY_PAYLOAD.put(array, "call_log");
    List<String> clicks = new ArrayList<>();
    clicks.add(click("site-ok", "2020-11-16 10:00:00", 10));
    for (int i = 0; i < ISO_SITES.size(); i++) {
      clicks.add(click(ISO_SITES.get(i), "2020-11-16T1" + (4 + i) + ":32:19Z", 11 + i));
    }
    clicks.add(broken);
    clicks.add(negative);
    clickstream = Files.write(data.resolve("clickstream.jsonl"), clicks);
    String call =
        "{\"xml\": \"<call_log><user_id>u-call</user_id><call_id>call-1</call_id>"
            + "<start_time>2020-11-16 09:00:00</start_time><call_time_seconds>60"
            + "</call_time_seconds></call_log>\"}";
    callLog = Files.write(data.resolve("call_log.jsonl"), List.of(call, array));
    sqlDir = TMP.newFolder("sql").toPath();
    Files.writeString(sqlDir.resolve("call_log.sql"), bundledSql("call_log"));
    Files.writeString(
        sqlDir.resolve("clickstream.sql"),
        bundledSql("clickstream")
            .replace(
                "to_timestamp(event_timestamp)",
                "coalesce(to_timestamp(event_timestamp),"
                    + " to_timestamp(event_timestamp, 'yyyy-MM-dd''T''HH:mm:ssX'))"));

    // The run whose dead letters are replayed: both dead-letter sinks get the same six.
    run(
        "--callLogInput=" + callLog,
        "--clickstreamInput=" + clickstream,
        "--sinks=kafka,postgres",
        "--bootstrapServers=" + broker.bootstrapServers(),
        "--deadLetterTopic=" + DEAD_LETTER_TOPIC,
        "--jdbcUrl=" + url,
        "--jdbcUser=postgres",
        "--createTables");
  }

  @AfterClass
  public static void tearDown() throws Exception {
    if (broker != null) {
      broker.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static String click(String site, String time, int seconds) {
    return "{\"event_timestamp\": \""
        + time
        + "\", \"user_id\": \"u-"
        + site
        + "\", \"site_id\": \""
        + site
        + "\", \"pages_visited\": 2, \"total_seconds_on_site\": "
        + seconds
        + "}";
  }

  private static String bundledSql(String source) {
    try (InputStream in =
        ReplayFromSinksIT.class.getClassLoader().getResourceAsStream("sql/" + source + ".sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PipelineResult run(String... args) {
    return Customer360Pipeline.runToEnd(
        PipelineOptionsFactory.fromArgs(args).withValidation().as(Customer360Options.class));
  }

  /** Replays {@code location} with the changed SQL into files below {@code output}. */
  private static void replayIntoFiles(String location, Path output) {
    run(
        "--replay=" + location,
        "--sqlDir=" + sqlDir,
        "--sinks=files",
        "--output=" + output,
        "--bootstrapServers=" + broker.bootstrapServers(),
        "--jdbcUrl=" + url,
        "--jdbcUser=postgres");
  }

  /** The engagements the ISO records are, as the file sink writes them (event_id aside). */
  private static Set<Map<String, Object>> isoEngagements() {
    Set<Map<String, Object>> expected = new HashSet<>();
    for (int i = 0; i < ISO_SITES.size(); i++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("user_id", "u-" + ISO_SITES.get(i));
      e.put("engagement_datetime", "2020-11-16 1" + (4 + i) + ":32:19");
      e.put("engagement_type", "website");
      e.put("engagement_source_id", ISO_SITES.get(i));
      e.put("engagement_seconds", 11 + i);
      expected.add(e);
    }
    return expected;
  }

  private static void assertRecoveredAndStillFailing(Path output) throws IOException {
    Set<Map<String, Object>> engagements = new HashSet<>();
    for (Map<String, Object> e : Expected.readJsonLines(output.resolve("engagements"))) {
      e.remove("event_id");
      assertEquals("engagement twice: " + e, true, engagements.add(e));
    }
    assertEquals(isoEngagements(), engagements);

    Map<String, String> sourceByPayload = new LinkedHashMap<>();
    for (Map<String, Object> d : Expected.readJsonLines(output.resolve("dead-letter"))) {
      assertEquals(d.toString(), 2, d.get("attempts"));
      sourceByPayload.put((String) d.get("payload"), (String) d.get("source"));
    }
    assertEquals(STILL_FAILING_BY_PAYLOAD, sourceByPayload);
  }

  @Test
  public void aReplayOfTheDeadLetterTopicRecoversWhatTheChangedSqlAccepts() throws Exception {
    Path output = TMP.newFolder("from-kafka").toPath();
    replayIntoFiles("kafka:" + DEAD_LETTER_TOPIC, output);
    assertRecoveredAndStillFailing(output);
  }

  @Test
  public void aReplayOfTheDeadLetterTableRecoversWhatTheChangedSqlAccepts() throws Exception {
    Path output = TMP.newFolder("from-postgres").toPath();
    replayIntoFiles("postgres", output);
    assertRecoveredAndStillFailing(output);
  }

  @Test
  public void aSecondReplayIntoPostgresFindsEveryEngagementAlreadyPresent() throws Exception {
    String twice = newDatabase("replay_twice");
    String[] job = {
      "--callLogInput=" + callLog,
      "--clickstreamInput=" + clickstream,
      "--sinks=postgres",
      "--jdbcUrl=" + twice,
      "--jdbcUser=postgres"
    };
    run(job);
    String[] replay = {
      "--replay=postgres",
      "--sqlDir=" + sqlDir,
      "--sinks=postgres",
      "--jdbcUrl=" + twice,
      "--jdbcUser=postgres"
    };
    String unchanged = MetricNames.postgresUnchanged(PostgresTable.ENGAGEMENTS.name());

    RunSummary first = RunSummary.of(run(replay));
    assertEquals(0, first.get(unchanged));
    RunSummary second = RunSummary.of(run(replay));
    assertEquals(ISO_SITES.size(), second.get(unchanged));
    assertThat(
        second.replayLine(
            List.of("call_log", "clickstream"), Customer360Pipeline.sinks(options(replay))),
        containsString("already present " + ISO_SITES.size()));

    // Two good records and the three recovered ones, each event once.
    assertEquals(
        List.of(5L, 5L),
        queryLongs(twice, "select count(*), count(distinct event_id) from customer_engagements"));
    for (String site : ISO_SITES) {
      assertEquals(
          List.of(1L),
          queryLongs(
              twice,
              "select count(*) from customer_engagements where engagement_source_id = '"
                  + site
                  + "'"));
    }
    // Each replay tried the still-failing records once more: the first run, then two replays.
    assertEquals(
        List.of(3L, 3L),
        queryLongs(twice, "select count(*), min(attempts) from dead_letters where attempts > 1"));
  }

  @Test
  public void aMissingTopicOrTableIsAOneLineErrorNamingReplay() throws Exception {
    String empty = emptyDatabase("no_tables");
    IllegalArgumentException noTopic =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Customer360Pipeline.prepare(
                    options(
                        "--replay=kafka:no.such.topic",
                        "--sinks=postgres",
                        "--bootstrapServers=" + broker.bootstrapServers(),
                        "--jdbcUrl=" + url,
                        "--jdbcUser=postgres"),
                    dev.customer360.transforms.StandardSources.ALL));
    assertThat(noTopic.getMessage(), containsString("'no.such.topic' does not exist"));
    assertThat(noTopic.getMessage(), containsString("--replay=kafka:no.such.topic"));
    assertEquals(false, noTopic.getMessage().contains("\n"));
    IllegalArgumentException noTable =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Customer360Pipeline.prepare(
                    options(
                        "--replay=postgres",
                        "--sinks=files",
                        "--output=" + TMP.newFolder("unused"),
                        "--jdbcUrl=" + empty,
                        "--jdbcUser=postgres"),
                    dev.customer360.transforms.StandardSources.ALL));
    assertThat(noTable.getMessage(), containsString("--replay=postgres: PostgreSQL at "));
    assertThat(noTable.getMessage(), containsString("has no table dead_letters"));
    assertEquals(false, noTable.getMessage().contains("\n"));
  }

  private static Customer360Options options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(Customer360Options.class);
  }

  /** A fresh database on the same server with the job's tables; returns its URL. */
  private static String newDatabase(String name) throws Exception {
    String other = emptyDatabase(name);
    new PostgresConnection(other, "postgres", "NO_SUCH_ENV").checkReachable(true);
    return other;
  }

  /** A fresh database on the same server without tables; returns its URL. */
  private static String emptyDatabase(String name) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + name);
      s.execute("create database " + name);
    }
    return postgres.getJdbcUrl("postgres", name);
  }

  /** The first row of {@code sql}'s result, every column as a number. */
  private static List<Long> queryLongs(String jdbcUrl, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      List<Long> values = new ArrayList<>();
      for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
        values.add(r.getLong(i));
      }
      return values;
    }
  }
}
