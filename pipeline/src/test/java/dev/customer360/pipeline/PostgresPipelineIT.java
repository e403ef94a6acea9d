package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.customer360.io.postgres.PostgresConnection;
import dev.customer360.pipeline.generator.GenerateRawRecords;
import dev.customer360.pipeline.generator.RawRecordGenerator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The whole job writing to a real PostgreSQL server: rows read back equal the expected events and
 * profiles, a second run of the same input changes nothing, a row the database rejects lands in
 * dead_letters.
 */
@RunWith(JUnit4.class)
public class PostgresPipelineIT {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static EmbeddedPostgres postgres;
  private static String url;
  private static Path data;
  private static RawRecordGenerator.Generated generated;

  /** A valid engagement whose user_id (200 chars) is too long for the user_id column. */
  private static final String LONG_USER = "u".repeat(200);

  @BeforeClass
  public static void setUp() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    url = postgres.getJdbcUrl("postgres", "postgres");
    generated = Expected.generate(99, 80, 800, 24 * 10);
    data = TMP.newFolder("data").toPath();
    GenerateRawRecords.write(data, generated, false);
    String tooLong =
        "{\"xml\": \"<call_log><user_id>"
            + LONG_USER
            + "</user_id><call_id>long-1</call_id>"
            + "<start_time>2020-03-02 10:00:00</start_time><call_time_seconds>5"
            + "</call_time_seconds></call_log>\"}\n";
    Files.writeString(
        data.resolve("call_log.jsonl"), tooLong, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  @AfterClass
  public static void tearDown() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static void runPipeline(Path output) {
    String[] args = {
      "--callLogInput=" + data.resolve("call_log.jsonl"),
      "--clickstreamInput=" + data.resolve("clickstream.jsonl"),
      "--output=" + output,
      "--sinks=files,postgres",
      "--jdbcUrl=" + url,
      "--jdbcUser=postgres",
      "--createTables",
      "--jdbcBatchSize=100"
    };
    Customer360Pipeline.runToEnd(
        PipelineOptionsFactory.fromArgs(args).withValidation().as(Customer360Options.class));
  }

  private static List<Map<String, Object>> query(String sql) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      ResultSetMetaData meta = r.getMetaData();
      while (r.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), r.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static final String ENGAGEMENTS =
      "select user_id, to_char(engagement_datetime at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
          + " as engagement_datetime, engagement_type, engagement_source_id, engagement_seconds"
          + " from customer_engagements";

  private static final String PROFILES =
      "select user_id || '|' || to_char(window_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
          + " as key, engagements, engagement_seconds, calls, website_visits, call_seconds,"
          + " website_seconds, to_char(first_engagement at time zone 'UTC',"
          + " 'YYYY-MM-DD HH24:MI:SS') as first_engagement, to_char(last_engagement at time zone"
          + " 'UTC', 'YYYY-MM-DD HH24:MI:SS') as last_engagement, is_final from customer_profiles";

  @Test
  public void tablesHoldTheExpectedRowsAndASecondRunChangesNothing() throws Exception {
    runPipeline(TMP.newFolder("run1").toPath());

    Set<Map<String, Object>> engagements = new HashSet<>(query(ENGAGEMENTS));
    assertEquals(generated.expectedEngagements.size(), query(ENGAGEMENTS).size());
    Set<Map<String, Object>> expected = new HashSet<>();
    for (Map<String, Object> e : generated.expectedEngagements) {
      Map<String, Object> row = new LinkedHashMap<>(e);
      expected.add(row);
    }
    assertEquals(expected, engagements);

    Map<String, Map<String, Object>> profiles = new HashMap<>();
    for (Map<String, Object> p : query(PROFILES)) {
      assertEquals(Boolean.TRUE, p.remove("is_final"));
      String key = (String) p.remove("key");
      Map<String, Object> sums = new HashMap<>();
      p.forEach((k, v) -> sums.put(k, v instanceof Number ? ((Number) v).longValue() : v));
      profiles.put(key, sums);
    }
    Map<String, Map<String, Object>> expectedProfiles = Expected.profiles(generated, 3_600_000L);
    // The too-long customer's profile was rejected too (same user_id column width).
    assertEquals(expectedProfiles, profiles);

    int badLines = generated.badLinesBySource.values().stream().mapToInt(List::size).sum();
    List<Map<String, Object>> deadLetters = query("select source, error from dead_letters");
    assertEquals(badLines + 2, deadLetters.size());
    assertEquals(
        2,
        query(
                "select 1 from dead_letters where source like 'postgres:%'"
                    + " and error like '%value too long for type character varying(128)%'"
                    + " and payload like '%"
                    + LONG_USER
                    + "%'")
            .size());

    List<Map<String, Object>> before = query("select * from customer_profiles order by 1, 2");
    long engagementRows = query(ENGAGEMENTS).size();
    runPipeline(TMP.newFolder("run2").toPath());
    assertEquals(engagementRows, query(ENGAGEMENTS).size());
    assertEquals(before, query("select * from customer_profiles order by 1, 2"));
    assertEquals(badLines + 2, query("select * from dead_letters").size());
  }

  /** A fresh database on the same server with the job's tables; returns its URL. */
  private static String newDatabase(String name) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + name);
      s.execute("create database " + name);
    }
    String other = postgres.getJdbcUrl("postgres", name);
    new PostgresConnection(other, "postgres", "NO_SUCH_ENV").checkReachable(true);
    return other;
  }

  /** Runs the command line into {@code jdbcUrl}; returns the exit code and what it printed. */
  private static Map.Entry<Integer, String> runCli(String jdbcUrl) {
    return CliRun.of(
        "--callLogInput=" + data.resolve("call_log.jsonl"),
        "--clickstreamInput=" + data.resolve("clickstream.jsonl"),
        "--sinks=postgres",
        "--jdbcUrl=" + jdbcUrl,
        "--jdbcUser=postgres",
        "--jdbcPasswordEnv=NO_SUCH_ENV");
  }

  private static List<String> errorLines(String printed) {
    List<String> lines = new ArrayList<>();
    for (String line : printed.split("\n")) {
      if (line.startsWith("error:")) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  public void aReadOnlyDatabaseFailsTheRunWithOneLineNamingTheCause() throws Exception {
    String readOnly = newDatabase("read_only");
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("alter database read_only set default_transaction_read_only = on");
    }
    Map.Entry<Integer, String> run = runCli(readOnly);
    assertEquals(run.getValue(), 1, (int) run.getKey());
    List<String> errors = errorLines(run.getValue());
    assertEquals(run.getValue(), 1, errors.size());
    assertThat(errors.get(0), containsString("SQLSTATE 25006"));
    assertThat(errors.get(0), containsString("point --jdbcUrl at the primary"));
    assertEquals(errors.get(0), 1, errors.get(0).split("SQLSTATE 25006", -1).length - 1);
  }

  @Test
  public void aDeadLetterNoSinkTakesFailsTheRunWithoutShowingItsPayload() throws Exception {
    String refusing = newDatabase("refusing_dead_letters");
    try (Connection c = DriverManager.getConnection(refusing, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("alter table dead_letters add constraint refuse_all check (false)");
    }
    Map.Entry<Integer, String> run = runCli(refusing);
    assertEquals(run.getValue(), 1, (int) run.getKey());
    List<String> errors = errorLines(run.getValue());
    assertEquals(run.getValue(), 1, errors.size());
    assertThat(errors.get(0), containsString("dead letter"));
    assertThat(errors.get(0), containsString("refuse_all"));
    // Payloads are personal data: the reason and a reference only, never the record.
    assertThat(run.getValue(), not(containsString(LONG_USER)));
    for (List<String> lines : generated.badLinesBySource.values()) {
      for (String line : lines) {
        if (line.length() > 20) {
          assertThat(run.getValue(), not(containsString(line)));
        }
      }
    }
  }
}
