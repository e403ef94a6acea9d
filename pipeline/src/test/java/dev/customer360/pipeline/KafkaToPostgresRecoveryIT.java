package dev.customer360.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import dev.customer360.pipeline.generator.RawRecordGenerator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * A bounded Kafka run whose database fails: the run fails loudly, commits no offsets, and the rerun
 * after the database is back delivers every record exactly once.
 */
@RunWith(JUnit4.class)
public class KafkaToPostgresRecoveryIT {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  private static KafkaTestBroker broker;
  private static EmbeddedPostgres postgres;
  private static String url;

  @BeforeClass
  public static void start() throws Exception {
    broker = new KafkaTestBroker();
    postgres = EmbeddedPostgres.builder().start();
    url = postgres.getJdbcUrl("postgres", "postgres");
  }

  @AfterClass
  public static void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static int run(String prefix, int maxRecords) {
    return Cli.run(
        new String[] {
          "--source=kafka",
          "--bootstrapServers=" + broker.bootstrapServers(),
          "--callLogTopic=" + prefix + "call_log",
          "--clickstreamTopic=" + prefix + "clickstream",
          "--groupId=" + prefix + "job",
          "--maxRecords=" + maxRecords,
          "--sinks=postgres",
          "--jdbcUrl=" + url,
          "--jdbcUser=postgres",
          "--jdbcBatchSize=50"
        });
  }

  private static void execute(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static Set<Map<String, Object>> engagements() throws Exception {
    Set<Map<String, Object>> rows = new HashSet<>();
    int count = 0;
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "select user_id, to_char(engagement_datetime at time zone 'UTC',"
                    + " 'YYYY-MM-DD HH24:MI:SS') as engagement_datetime, engagement_type,"
                    + " engagement_source_id, engagement_seconds from customer_engagements")) {
      while (r.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
          row.put(r.getMetaData().getColumnLabel(i), r.getObject(i));
        }
        rows.add(row);
        count++;
      }
    }
    assertEquals("an engagement was written twice", rows.size(), count);
    return rows;
  }

  @Test
  public void aRunIntoAReadOnlyDatabaseFailsAndTheRerunDeliversEveryRecordOnce() throws Exception {
    RawRecordGenerator.Settings settings = new RawRecordGenerator.Settings();
    settings.seed = 14;
    settings.users = 40;
    settings.recordsPerSource = 300;
    settings.spanHours = 24 * 3;
    settings.oversize = false; // Kafka's default limit is 1 MB per record
    RawRecordGenerator.Generated generated = new RawRecordGenerator(settings).generate();
    broker.createTopics(2, "r_call_log", "r_clickstream");
    generated.linesBySource.forEach((source, lines) -> broker.produce("r_" + source, lines));
    // --maxRecords counts per topic; the generator writes as many lines to each.
    int lines = generated.linesBySource.get("call_log").size();
    assertEquals(lines, generated.linesBySource.get("clickstream").size());
    // The tables exist; then the database turns read-only (as after a failover to a replica).
    execute(dev.customer360.io.postgres.PostgresConnection.ddl());
    execute("alter database postgres set default_transaction_read_only = on");

    int failed = run("r_", lines);

    // This session starts read-only too: make it writable first, then the database.
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("set default_transaction_read_only = off");
      st.execute("alter database postgres set default_transaction_read_only = off");
    }
    assertNotEquals("a run that wrote nothing must not succeed", 0, failed);
    assertEquals(Set.of(), engagements());

    assertEquals(0, run("r_", lines));

    assertEquals(new HashSet<>(generated.expectedEngagements), engagements());
  }
}
