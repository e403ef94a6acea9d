package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.pipeline.generator.GenerateRawRecords;
import dev.customer360.pipeline.generator.RawRecordGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The lake as a reader this project did not write sees it: DuckDB (in-process) reads the files a
 * run's manifest lists, Parquet and JSON lines, with Hive partitioning, and finds the generator's
 * engagements, typed columns, partitions that match each record's time, the declared dead-letter
 * columns and one dead letter per bad line.
 */
@RunWith(JUnit4.class)
public class LakeReadByDuckDbTest {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WINDOW_MILLIS = 3_600_000L; // the default --window=1h

  private static Path data;
  private static RawRecordGenerator.Generated generated;

  @BeforeClass
  public static void generate() throws IOException {
    generated = Expected.generate(18, 40, 400, 72);
    data = TMP.newFolder("data").toPath();
    GenerateRawRecords.write(data, generated, false);
  }

  @Test
  public void parquetIsReadBackTypedAndPartitioned() throws Exception {
    Path output = run("parquet", "--format=parquet");
    try (Connection duck = lake(output, "parquet", "read_parquet", "")) {
      Map<String, String> engagements = columnTypes(duck, "engagements");
      // Avro timestamp-millis is stored as a UTC-adjusted Parquet timestamp.
      assertEquals(
          engagements.toString(),
          "TIMESTAMP WITH TIME ZONE",
          engagements.get("engagement_datetime"));
      assertEquals(engagements.toString(), "INTEGER", engagements.get("engagement_seconds"));
      Map<String, String> profiles = columnTypes(duck, "profiles");
      for (String count : Expected.PROFILE_SUMS) {
        assertEquals(profiles.toString(), "BIGINT", profiles.get(count));
      }
      assertEquals(profiles.toString(), "TIMESTAMP WITH TIME ZONE", profiles.get("window_start"));
      assertTheLakeHoldsTheGeneratorsAnswer(duck);
    }
  }

  @Test
  public void gzippedJsonLinesAreReadBackPartitioned() throws Exception {
    Path output = run("json", "--compression=gzip");
    try (Connection duck = lake(output, "json", "read_json", "format='newline_delimited', ")) {
      // A JSON reader finds the event times' format on its own.
      Map<String, String> engagements = columnTypes(duck, "engagements");
      assertEquals(engagements.toString(), "TIMESTAMP", engagements.get("engagement_datetime"));
      assertTheLakeHoldsTheGeneratorsAnswer(duck);
    }
  }

  private static Path run(String runId, String... flags) throws IOException {
    Path output = TMP.newFolder("out-" + runId).toPath();
    List<String> args = new ArrayList<>();
    args.add("--callLogInput=" + data.resolve("call_log.jsonl"));
    args.add("--clickstreamInput=" + data.resolve("clickstream.jsonl"));
    args.add("--output=" + output);
    args.add("--runId=" + runId);
    args.addAll(List.of(flags));
    Customer360Pipeline.runToEnd(
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(Customer360Options.class));
    return output;
  }

  /**
   * An in-memory DuckDB with one view per output over the files that run {@code runId}'s manifest
   * lists, read by the table function {@code reader} with {@code options}. Partition values stay
   * text ({@code hive_types_autocast=false}), so {@code hour=7} is not read as {@code hour=07}.
   */
  private static Connection lake(Path output, String runId, String reader, String options)
      throws IOException, SQLException {
    JsonNode manifest = JSON.readTree(output.resolve("_manifests/" + runId + ".json").toFile());
    Connection duck = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement sql = duck.createStatement()) {
      sql.execute("SET TimeZone = 'UTC'");
      for (String name : List.of("engagements", "profiles", "dead-letter")) {
        List<String> paths = new ArrayList<>();
        manifest
            .path("files")
            .path(name)
            .forEach(file -> paths.add(literal(output.resolve(file.asText()).toString())));
        assertFalse("the manifest lists no " + name + " files: " + manifest, paths.isEmpty());
        sql.execute(
            "CREATE VIEW \""
                + name.replace('-', '_')
                + "\" AS SELECT * FROM "
                + reader
                + "(["
                + String.join(", ", paths)
                + "], "
                + options
                + "hive_partitioning=true, hive_types_autocast=false, filename=true)");
      }
    } catch (SQLException | RuntimeException | Error e) {
      duck.close();
      throw e;
    }
    return duck;
  }

  private static void assertTheLakeHoldsTheGeneratorsAnswer(Connection duck) throws SQLException {
    assertEngagementsAreTheGenerated(duck);
    assertEquals(
        "engagements in an hour partition other than their engagement_datetime's",
        List.of(),
        rows(
            duck,
            "SELECT filename, engagement_datetime FROM engagements"
                + " WHERE dt <> strftime(engagement_datetime, '%Y-%m-%d')"
                + " OR \"hour\" <> strftime(engagement_datetime, '%H') LIMIT 3"));
    assertProfilesAreTheGenerated(duck);
    assertEquals(
        "profiles in a day partition other than their window_start's",
        List.of(),
        rows(
            duck,
            "SELECT filename, window_start FROM profiles"
                + " WHERE dt <> strftime(window_start, '%Y-%m-%d') LIMIT 3"));
    assertThat(
        columnTypes(duck, "dead_letter").keySet(),
        hasItems("source", "error", "payload", "failed_at", "replayable", "stage", "attempts"));
    Map<String, Long> badLines = new HashMap<>();
    generated.badLinesBySource.forEach(
        (source, lines) -> badLines.put(source, (long) lines.size()));
    Map<String, Long> deadLetters = new HashMap<>();
    for (List<Object> row :
        rows(duck, "SELECT source, count(*) FROM dead_letter GROUP BY source")) {
      deadLetters.put((String) row.get(0), ((Number) row.get(1)).longValue());
    }
    assertEquals("dead letters by source", badLines, deadLetters);
    assertEquals(
        "dead letters in a day partition other than their failed_at's",
        List.of(),
        rows(
            duck,
            "SELECT filename, failed_at FROM dead_letter"
                + " WHERE dt <> strftime(CAST(failed_at AS TIMESTAMPTZ), '%Y-%m-%d') LIMIT 3"));
  }

  /** Each distinct engagement the generator made, once; nothing else; each with its own id. */
  private static void assertEngagementsAreTheGenerated(Connection duck) throws SQLException {
    Set<Map<String, Object>> read = new HashSet<>();
    Set<String> eventIds = new HashSet<>();
    try (Statement sql = duck.createStatement();
        ResultSet r =
            sql.executeQuery(
                "SELECT user_id, strftime(engagement_datetime, '%Y-%m-%d %H:%M:%S'),"
                    + " engagement_type, engagement_source_id, engagement_seconds, event_id"
                    + " FROM engagements")) {
      while (r.next()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("user_id", r.getString(1));
        e.put("engagement_datetime", r.getString(2));
        e.put("engagement_type", r.getString(3));
        e.put("engagement_source_id", r.getString(4));
        e.put("engagement_seconds", r.getInt(5));
        assertTrue("engagement read twice: " + e, read.add(e));
        assertTrue("event_id " + r.getString(6) + " twice", eventIds.add(r.getString(6)));
      }
    }
    assertEquals(generated.expectedEngagements, read);
  }

  /** One final profile per customer and window, the sums over the generator's engagements. */
  private static void assertProfilesAreTheGenerated(Connection duck) throws SQLException {
    Map<String, Map<String, Object>> read = new HashMap<>();
    try (Statement sql = duck.createStatement();
        ResultSet r =
            sql.executeQuery(
                "SELECT user_id, strftime(window_start, '%Y-%m-%d %H:%M:%S'), \"final\","
                    + " strftime(first_engagement, '%Y-%m-%d %H:%M:%S'),"
                    + " strftime(last_engagement, '%Y-%m-%d %H:%M:%S'), "
                    + String.join(", ", Expected.PROFILE_SUMS)
                    + " FROM profiles")) {
      while (r.next()) {
        assertTrue("a profile that is not final: " + r.getString(1), r.getBoolean(3));
        Map<String, Object> p = new HashMap<>();
        p.put("first_engagement", r.getString(4));
        p.put("last_engagement", r.getString(5));
        for (int i = 0; i < Expected.PROFILE_SUMS.size(); i++) {
          p.put(Expected.PROFILE_SUMS.get(i), r.getLong(6 + i));
        }
        String key = r.getString(1) + "|" + r.getString(2);
        assertEquals("profile " + key + " read twice", null, read.put(key, p));
      }
    }
    assertEquals(Expected.profiles(generated, WINDOW_MILLIS), read);
  }

  /** Column name to DuckDB type, as DuckDB describes the view. */
  private static Map<String, String> columnTypes(Connection duck, String view) throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    for (List<Object> row : rows(duck, "DESCRIBE " + view)) {
      types.put((String) row.get(0), (String) row.get(1));
    }
    return types;
  }

  private static List<List<Object>> rows(Connection duck, String query) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement sql = duck.createStatement();
        ResultSet r = sql.executeQuery(query)) {
      int columns = r.getMetaData().getColumnCount();
      while (r.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(r.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** A SQL string literal. */
  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
