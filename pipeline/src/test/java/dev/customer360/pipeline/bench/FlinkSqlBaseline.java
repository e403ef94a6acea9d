package dev.customer360.pipeline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;

/**
 * The job's work written the way a data engineer would write it in Flink SQL, as the benchmark's
 * yardstick: one statement set on an embedded Flink 1.19 (the runner's own version), batch mode,
 * parallelism 2, file to file.
 *
 * <ol>
 *   <li>Each source's raw lines (bytes, read and split by the filesystem connector, format {@link
 *       RawLinesFormatFactory raw-lines}) are parsed once by {@link ParseRawLine}, which applies
 *       the job's rules and standardization SQL and gives one row per line: an engagement or a dead
 *       letter.
 *   <li>Dead letters go to {@code dead-letter/dt=…}.
 *   <li>Engagements are deduplicated by event id with a {@code GROUP BY} that keeps the longest
 *       delivery ({@code MAX(engagement_seconds)}: the job's rule; every other column is part of
 *       the id) and written to {@code engagements/dt=…/hour=…}.
 *   <li>Profiles per customer and 1-hour window (the job's default {@code --window}), by {@code
 *       GROUP BY} over the distinct engagements, go to {@code profiles/dt=…}.
 * </ol>
 *
 * Outputs are JSON lines with the job's fields, partitioned like the job's. The parsed lines and
 * the distinct engagements each feed two sinks; the planner computes each once (checked with {@code
 * --explain}: one Correlate per source, one dedup aggregate).
 *
 * <pre>FlinkSqlBaseline CALL_LOG_FILE CLICKSTREAM_FILE OUTPUT_DIR [--explain]</pre>
 */
public final class FlinkSqlBaseline {
  /** The job's defaults: {@code --maxFutureSkew=10m}; the bench runs the job with parallelism 2. */
  static final long MAX_FUTURE_SKEW_MILLIS = 10 * 60 * 1000L;

  static final int PARALLELISM = 2;

  private FlinkSqlBaseline() {}

  public static void main(String[] args) throws Exception {
    List<String> paths = new ArrayList<>();
    boolean explain = false;
    for (String arg : args) {
      if (arg.equals("--explain")) {
        explain = true;
      } else {
        paths.add(arg);
      }
    }
    if (paths.size() != 3) {
      System.err.println(
          "usage: FlinkSqlBaseline CALL_LOG_FILE CLICKSTREAM_FILE OUTPUT_DIR [--explain]");
      System.exit(2);
    }
    requireFlinksJanino();
    long started = System.nanoTime();
    StatementSet statements =
        statements(Path.of(paths.get(0)), Path.of(paths.get(1)), Path.of(paths.get(2)));
    if (explain) {
      System.out.println(statements.explain());
    }
    statements.execute().await();
    System.out.printf(
        Locale.ROOT, "Flink SQL baseline done in %.2f s%n", (System.nanoTime() - started) / 1e9);
  }

  /**
   * Flink's table runtime compiles its generated code with the Janino it bundles (3.1); Beam SQL
   * brings Janino 3.0, which lacks methods Flink calls. Fail with what to do rather than deep in
   * planning.
   */
  private static void requireFlinksJanino() {
    try {
      Class.forName("org.codehaus.commons.compiler.CompilerFactoryFactory")
          .getMethod("getDefaultCompilerFactory", ClassLoader.class);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "An older Janino (Beam SQL's) comes before flink-table-runtime on the classpath; put"
              + " flink-table-runtime-*.jar first (bench/run.sh does)",
          e);
    }
  }

  /** The tables, the parse functions and the three inserts, ready to run as one job. */
  static StatementSet statements(Path callLog, Path clickstream, Path output) {
    for (Path input : List.of(callLog, clickstream)) {
      if (!Files.isRegularFile(input)) {
        throw new IllegalArgumentException(
            input + " is not a file: give the call log and clickstream .jsonl files");
      }
    }
    Configuration config = new Configuration();
    config.setString("parallelism.default", Integer.toString(PARALLELISM));
    config.setString("table.exec.resource.default-parallelism", Integer.toString(PARALLELISM));
    config.setString("table.local-time-zone", "UTC");
    TableEnvironment sql =
        TableEnvironment.create(
            EnvironmentSettings.newInstance().inBatchMode().withConfiguration(config).build());

    // Files carry no write time: the job judges their events against the run's start.
    long runStart = System.currentTimeMillis();
    sql.createTemporarySystemFunction(
        "parse_call_log",
        new ParseRawLine(ParseRawLine.CALL_LOG, runStart, MAX_FUTURE_SKEW_MILLIS));
    sql.createTemporarySystemFunction(
        "parse_clickstream",
        new ParseRawLine(ParseRawLine.CLICKSTREAM, runStart, MAX_FUTURE_SKEW_MILLIS));

    for (String[] source :
        new String[][] {{"call_log_raw", uri(callLog)}, {"clickstream_raw", uri(clickstream)}}) {
      sql.executeSql(
          "CREATE TEMPORARY TABLE "
              + source[0]
              + " (line BYTES) WITH ('connector' = 'filesystem', 'path' = '"
              + source[1]
              + "', 'format' = '"
              + RawLinesFormatFactory.IDENTIFIER
              + "')");
    }
    Path out = output.toAbsolutePath();
    sql.executeSql(
        "CREATE TEMPORARY TABLE engagements (user_id STRING, engagement_datetime TIMESTAMP(3),"
            + " engagement_type STRING, engagement_source_id STRING, engagement_seconds INT,"
            + " event_id STRING, dt STRING, `hour` STRING) PARTITIONED BY (dt, `hour`)"
            + sink(out.resolve("engagements")));
    sql.executeSql(
        "CREATE TEMPORARY TABLE profiles (user_id STRING, window_start TIMESTAMP(3),"
            + " window_end TIMESTAMP(3), engagements BIGINT, engagement_seconds BIGINT,"
            + " calls BIGINT, call_seconds BIGINT, website_visits BIGINT, website_seconds BIGINT,"
            + " first_engagement TIMESTAMP(3), last_engagement TIMESTAMP(3), last_call_id STRING,"
            + " last_site_id STRING, pane STRING, `final` BOOLEAN, dt STRING) PARTITIONED BY (dt)"
            + sink(out.resolve("profiles")));
    sql.executeSql(
        "CREATE TEMPORARY TABLE dead_letters (source STRING, error STRING, payload STRING,"
            + " failed_at STRING, replayable BOOLEAN, stage STRING, attempts INT, dt STRING) PARTITIONED BY (dt)"
            + sink(out.resolve("dead-letter")));

    // Every line parsed once. A view made with CREATE VIEW is planned anew for each INSERT, and
    // the copies of a LATERAL TABLE differ in their correlation variable, so the planner would
    // parse each line once per sink (three times). A view of a planned query (sqlQuery) is one
    // plan node shared by the inserts that read it: the planner computes it once.
    sql.createTemporaryView(
        "parsed",
        sql.sqlQuery(
            "SELECT p.* FROM call_log_raw, LATERAL TABLE(parse_call_log(line)) AS p"
                + " UNION ALL"
                + " SELECT p.* FROM clickstream_raw, LATERAL TABLE(parse_clickstream(line)) AS p"));
    // The event id covers every column but the seconds, so this is SELECT DISTINCT by id keeping
    // the longest delivery: the job's rule for two deliveries that differ. Shared by two inserts
    // like the view above, so it is computed once.
    sql.createTemporaryView(
        "distinct_engagements",
        sql.sqlQuery(
            "SELECT event_id, user_id, engagement_datetime, engagement_type,"
                + " engagement_source_id, MAX(engagement_seconds) AS engagement_seconds"
                + " FROM parsed WHERE error IS NULL"
                + " GROUP BY event_id, user_id, engagement_datetime, engagement_type,"
                + " engagement_source_id"));

    StatementSet statements = sql.createStatementSet();
    statements.addInsertSql(
        "INSERT INTO dead_letters SELECT source, error, payload, failed_at, replayable, stage,"
            + " attempts,"
            + " SUBSTRING(failed_at FROM 1 FOR 10) FROM parsed WHERE error IS NOT NULL");
    statements.addInsertSql(
        "INSERT INTO engagements SELECT user_id, engagement_datetime, engagement_type,"
            + " engagement_source_id, engagement_seconds, event_id,"
            + " DATE_FORMAT(engagement_datetime, 'yyyy-MM-dd'),"
            + " DATE_FORMAT(engagement_datetime, 'HH') FROM distinct_engagements");
    // last_call_id / last_site_id: the source id of the latest call / visit, ties to the larger
    // id (CustomerProfile's rule), as the MAX of "time then id"; CAST(TIMESTAMP(3) AS STRING) is
    // fixed-width (23 characters), so the id starts at character 24.
    statements.addInsertSql(
        "INSERT INTO profiles SELECT user_id, window_start,"
            + " window_start + INTERVAL '1' HOUR,"
            + " COUNT(*), SUM(CAST(engagement_seconds AS BIGINT)),"
            + " COUNT(CASE WHEN engagement_type = 'sales call' THEN 1 END),"
            + " COALESCE(SUM(CASE WHEN engagement_type = 'sales call'"
            + " THEN CAST(engagement_seconds AS BIGINT) END), 0),"
            + " COUNT(CASE WHEN engagement_type = 'website' THEN 1 END),"
            + " COALESCE(SUM(CASE WHEN engagement_type = 'website'"
            + " THEN CAST(engagement_seconds AS BIGINT) END), 0),"
            + " MIN(engagement_datetime), MAX(engagement_datetime),"
            + " SUBSTRING(MAX(CASE WHEN engagement_type = 'sales call'"
            + " THEN CONCAT(CAST(engagement_datetime AS STRING), engagement_source_id) END)"
            + " FROM 24),"
            + " SUBSTRING(MAX(CASE WHEN engagement_type = 'website'"
            + " THEN CONCAT(CAST(engagement_datetime AS STRING), engagement_source_id) END)"
            + " FROM 24),"
            + " 'ON_TIME', TRUE, DATE_FORMAT(window_start, 'yyyy-MM-dd')"
            + " FROM (SELECT *, FLOOR(engagement_datetime TO HOUR) AS window_start"
            + " FROM distinct_engagements)"
            + " GROUP BY user_id, window_start");
    return statements;
  }

  private static String sink(Path directory) {
    return " WITH ('connector' = 'filesystem', 'path' = '"
        + uri(directory)
        + "', 'format' = 'json', 'json.timestamp-format.standard' = 'SQL')";
  }

  private static String uri(Path path) {
    return path.toAbsolutePath().toUri().toString().replace("'", "''");
  }
}
