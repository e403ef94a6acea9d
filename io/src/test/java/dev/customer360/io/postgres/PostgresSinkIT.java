package dev.customer360.io.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Declared;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import dev.customer360.transforms.values.EngagementConflict;
import dev.customer360.transforms.values.ProfileAccumulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The PostgreSQL sink against a real PostgreSQL server (started once for the class). */
@RunWith(JUnit4.class)
public class PostgresSinkIT {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static EmbeddedPostgres postgres;
  private static PostgresConnection database;

  @BeforeClass
  public static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    database =
        new PostgresConnection(
            postgres.getJdbcUrl("postgres", "postgres"), "postgres", "NO_SUCH_ENV");
    database.checkReachable(true);
  }

  @AfterClass
  public static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Before
  public void emptyTables() throws SQLException {
    execute("truncate customer_engagements, customer_profiles, dead_letters, engagement_conflicts");
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = database.open();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = database.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static Engagement engagement(String user, int minute) {
    return Engagement.of(
        user,
        Instant.parse("2020-03-04T10:00:00Z").plus(minute * 60_000L),
        "sales call",
        "call-" + minute,
        minute);
  }

  @Test
  public void engagementsAreWrittenOnceHoweverOftenTheyAreWritten() throws Exception {
    List<Engagement> rows = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      rows.add(engagement("u" + (i % 37), i));
    }
    PostgresBatchWriter<Engagement> writer =
        new PostgresBatchWriter<>(
            database, PostgresTable.ENGAGEMENTS.sql(), PostgresTable.ENGAGEMENTS.binder(), 3, 10);
    assertEquals(List.of(), writer.write(rows.subList(0, 700)));
    assertEquals(List.of(), writer.write(rows)); // a replay overlapping the first write
    writer.close();
    assertEquals(1200, count("select count(*) from customer_engagements"));
    try (Connection c = database.open();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "select user_id, engagement_datetime, engagement_type, engagement_source_id,"
                    + " engagement_seconds from customer_engagements where event_id = '"
                    + rows.get(61).eventId()
                    + "'")) {
      r.next();
      assertEquals("u24", r.getString(1));
      assertEquals(
          java.time.OffsetDateTime.parse("2020-03-04T11:01:00Z").toInstant(),
          r.getObject(2, java.time.OffsetDateTime.class).toInstant());
      assertEquals("sales call", r.getString(3));
      assertEquals("call-61", r.getString(4));
      assertEquals(61, r.getInt(5));
    }
  }

  @Test
  public void theLongestDeliveryOfAnEventIsKeptWhateverTheOrderOfTheWrites() throws Exception {
    Engagement first = engagement("u1", 30);
    Engagement longer = first.withSeconds(90).replacing(30);
    PostgresBatchWriter<Engagement> writer =
        new PostgresBatchWriter<>(
            database, PostgresTable.ENGAGEMENTS.sql(), PostgresTable.ENGAGEMENTS.binder(), 3, 10);
    assertEquals(List.of(), writer.write(List.of(first)));
    assertEquals(List.of(), writer.write(List.of(longer)));
    assertEquals(List.of(), writer.write(List.of(first))); // a replay of the shorter one
    writer.close();
    assertEquals(
        90,
        count(
            "select engagement_seconds from customer_engagements where event_id = '"
                + first.eventId()
                + "'"));
    assertEquals(1, count("select count(*) from customer_engagements"));
  }

  @Test
  public void conflictsAreStoredOncePerDroppedValueInTheDeclaredColumns() throws Exception {
    Engagement kept = engagement("u1", 90);
    List<EngagementConflict> conflicts =
        List.of(EngagementConflict.of(kept, 30), EngagementConflict.of(kept, 60));
    PostgresBatchWriter<EngagementConflict> writer =
        new PostgresBatchWriter<>(
            database, PostgresTable.CONFLICTS.sql(), PostgresTable.CONFLICTS.binder(), 3, 10);
    assertEquals(List.of(), writer.write(conflicts));
    assertEquals(List.of(), writer.write(conflicts)); // a re-run
    writer.close();
    assertEquals(2, count("select count(*) from engagement_conflicts"));
    try (Connection c = database.open();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "select event_id, user_id, engagement_datetime, engagement_type,"
                    + " engagement_source_id, kept_seconds, dropped_seconds"
                    + " from engagement_conflicts order by dropped_seconds")) {
      r.next();
      assertEquals(kept.eventId(), r.getString(1));
      assertEquals("u1", r.getString(2));
      assertEquals(
          java.time.OffsetDateTime.parse("2020-03-04T11:30:00Z").toInstant(),
          r.getObject(3, java.time.OffsetDateTime.class).toInstant());
      assertEquals("sales call", r.getString(4));
      assertEquals("call-90", r.getString(5));
      assertEquals(90, r.getInt(6));
      assertEquals(30, r.getInt(7));
    }
  }

  @Test
  public void everyDeclaredFieldIsAColumnOfItsTableInDeclarationOrder() throws Exception {
    Schema declared = Declared.schema(EngagementConflict.class);
    List<String> columns = new ArrayList<>();
    try (Connection c = database.open();
        ResultSet r = c.getMetaData().getColumns(null, "public", "engagement_conflicts", null)) {
      while (r.next()) {
        columns.add(r.getString("COLUMN_NAME"));
      }
    }
    List<String> fields =
        declared.getFields().stream().map(Schema.Field::getName).collect(Collectors.toList());
    // Columns the database fills itself (found_at) may follow the declared ones.
    assertEquals(fields, columns.subList(0, Math.min(fields.size(), columns.size())));
  }

  @Test
  public void aRowTheDatabaseRejectsIsDeadLetteredAndTheRestOfItsBatchIsWritten() throws Exception {
    Engagement tooLong = // user_id is varchar(128)
        Engagement.from(
            "call_log",
            "x".repeat(200),
            Instant.parse("2020-03-04T10:01:00Z"),
            "sales call",
            "call-1",
            60);
    List<Engagement> rows = List.of(engagement("a", 2), tooLong, engagement("b", 3));
    PCollection<DeadLetter> rejected =
        pipeline
            .apply(Create.of(rows).withCoder(EngagementCoder.of()))
            .apply(new WriteToPostgres<>(database, PostgresTable.ENGAGEMENTS, 100));
    PAssert.that(rejected)
        .satisfies(
            deadLetters -> {
              List<DeadLetter> all = new ArrayList<>();
              deadLetters.forEach(all::add);
              assertEquals(1, all.size());
              DeadLetter d = all.get(0);
              assertEquals("postgres:customer_engagements", d.source());
              assertThat(d.error(), containsString("(a call_log record)"));
              assertThat(
                  d.error(), containsString("value too long for type character varying(128)"));
              assertThat(d.payload(), containsString(tooLong.eventId()));
              return null;
            });
    pipeline.run().waitUntilFinish();
    assertEquals(2, count("select count(*) from customer_engagements"));
  }

  @Test
  public void aLostConnectionIsRetriedOnANewOne() throws Exception {
    PostgresBatchWriter<Engagement> writer =
        new PostgresBatchWriter<>(
            database, PostgresTable.ENGAGEMENTS.sql(), PostgresTable.ENGAGEMENTS.binder(), 4, 10);
    writer.write(List.of(engagement("a", 1)));
    // Kill the writer's session, as a failover or an idle-connection reaper would.
    String sessions =
        "from pg_stat_activity where application_name = 'customer360' and pid <> pg_backend_pid()";
    execute("select pg_terminate_backend(pid) " + sessions);
    // pg_terminate_backend only signals the backend: wait until it is gone, so that the write
    // below meets a dead connection rather than racing the kill.
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (count("select count(*) " + sessions) > 0) {
      assertTrue("the killed session was still there after 60 s", System.nanoTime() < deadline);
      Thread.sleep(50);
    }
    assertEquals(List.of(), writer.write(List.of(engagement("b", 2))));
    assertEquals("retries after the lost connection", 1, writer.retries());
    writer.close();
    assertEquals(2, count("select count(*) from customer_engagements"));
  }

  @Test
  public void profileUpsertKeepsTheNewestFiringAndAReplayChangesNothing() throws Exception {
    Instant start = Instant.parse("2020-03-04T10:00:00Z");
    Instant end = start.plus(3_600_000L);
    ProfileAccumulator one = new ProfileAccumulator().add(engagement("ann", 1));
    ProfileAccumulator two =
        new ProfileAccumulator().add(engagement("ann", 1)).add(engagement("ann", 2));
    PostgresBatchWriter<CustomerProfile> writer =
        new PostgresBatchWriter<>(
            database, PostgresTable.PROFILES.sql(), PostgresTable.PROFILES.binder(), 3, 10);
    writer.write(List.of(one.finish("ann", start, end, CustomerProfile.Pane.EARLY, false)));
    writer.write(List.of(two.finish("ann", start, end, CustomerProfile.Pane.ON_TIME, true)));
    String updated = "select updated_at from customer_profiles";
    String before;
    try (Connection c = database.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(updated)) {
      r.next();
      before = r.getString(1);
    }
    // An older firing arriving again, and the same final one replayed: no change.
    writer.write(List.of(one.finish("ann", start, end, CustomerProfile.Pane.EARLY, false)));
    writer.write(List.of(two.finish("ann", start, end, CustomerProfile.Pane.ON_TIME, true)));
    writer.close();
    assertEquals(1, count("select count(*) from customer_profiles"));
    assertEquals(2, count("select engagements from customer_profiles"));
    assertEquals(1, count("select count(*) from customer_profiles where is_final and calls = 2"));
    try (Connection c = database.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(updated)) {
      r.next();
      assertEquals(before, r.getString(1));
    }
  }

  private static void writeDeadLetters(DeadLetter... deadLetters) throws Exception {
    PostgresBatchWriter<DeadLetter> writer =
        new PostgresBatchWriter<>(
            database, PostgresTable.DEAD_LETTERS.sql(), PostgresTable.DEAD_LETTERS.binder(), 3, 10);
    assertEquals(List.of(), writer.write(List.of(deadLetters)));
    writer.close();
  }

  /** Each stored dead letter's payload as the sink wrote it, decoded, with its replayable flag. */
  private static Map<String, Boolean> storedPayloads() throws SQLException {
    Map<String, Boolean> payloads = new HashMap<>();
    try (Connection c = database.open();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("select payload, payload_encoding, replayable from dead_letters")) {
      while (r.next()) {
        String payload = r.getString(1);
        String decoded =
            "base64".equals(r.getString(2))
                ? new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8)
                : payload;
        payloads.put(decoded, r.getBoolean(3));
      }
    }
    return payloads;
  }

  @Test
  public void deadLettersAreStoredOnceAndAPayloadWithNulSurvives() throws Exception {
    String withNul = "{\"user_id\": \"a\u0000b\"}";
    DeadLetter d = DeadLetter.of(DeadLetter.Stage.PARSE, "call_log", "not valid JSON", withNul);
    writeDeadLetters(d, d);
    writeDeadLetters(d);
    assertEquals(Map.of(withNul, true), storedPayloads());
  }

  @Test
  public void aReplayFailingAgainForTheSameReasonRaisesTheAttemptsOfTheOneRow() throws Exception {
    DeadLetter first =
        DeadLetter.of(DeadLetter.Stage.RULES, "clickstream", "not a timestamp", "{\"a\": 1}");
    writeDeadLetters(first);
    DeadLetter again =
        first.failedAgain(
            DeadLetter.of(DeadLetter.Stage.RULES, "clickstream", "not a timestamp", "{\"a\": 1}"));
    writeDeadLetters(again);
    writeDeadLetters(first); // an older copy written late lowers nothing
    try (Connection c = database.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select stage, attempts from dead_letters")) {
      assertTrue(r.next());
      assertEquals("rules", r.getString(1));
      assertEquals(2, r.getInt(2));
      assertFalse("one row per record and reason", r.next());
    }
  }

  @Test
  public void badRecordsSharingTheirFirst4KibAreTwoRowsWithWholePayloads() throws Exception {
    String start = "{\"xml\": \"" + "<a>".repeat(2000);
    String one = start + "1\"";
    String two = start + "2\"";
    writeDeadLetters(
        DeadLetter.of(DeadLetter.Stage.PARSE, "call_log", "not valid JSON", one),
        DeadLetter.of(DeadLetter.Stage.PARSE, "call_log", "not valid JSON", two));
    assertEquals(Map.of(one, true, two, true), storedPayloads());
  }

  @Test
  public void aPayloadOverTheLimitIsCutTo4KibAndMarkedNotReplayable() throws Exception {
    String huge = "h".repeat(DeadLetter.MAX_PAYLOAD_BYTES + 1);
    writeDeadLetters(
        DeadLetter.of(DeadLetter.Stage.PARSE, "clickstream", "record is too big", huge));
    assertEquals(Map.of("h".repeat(DeadLetter.CUT_PAYLOAD_BYTES), false), storedPayloads());
  }

  @Test
  public void aDatabaseThatIsDownGivesAClearErrorNamingTheUrl() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PostgresConnection(url, "postgres", "PGPASSWORD").checkReachable(false));
    assertThat(e.getMessage(), containsString("Cannot use PostgreSQL at " + url));
    assertThat(e.getMessage(), containsString("Check that the server is running"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  /** A second database on the same server, with the tables of src/ddl/postgres.sql. */
  private static PostgresConnection newDatabase(String name, boolean withTables) throws Exception {
    execute("drop database if exists " + name);
    execute("create database " + name);
    PostgresConnection other =
        new PostgresConnection(postgres.getJdbcUrl("postgres", name), "postgres", "NO_SUCH_ENV");
    other.checkReachable(withTables);
    return other;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  public void aReadOnlyDatabaseFailsTheWriteLoudlyInsteadOfDeadLetteringEveryRow()
      throws Exception {
    PostgresConnection readOnly = newDatabase("read_only", true);
    execute("alter database read_only set default_transaction_read_only = on");
    pipeline
        .apply(Create.of(engagement("a", 1), engagement("b", 2)).withCoder(EngagementCoder.of()))
        .apply(new WriteToPostgres<>(readOnly, PostgresTable.ENGAGEMENTS, 100));
    PipelineExecutionException e =
        assertThrows(PipelineExecutionException.class, () -> pipeline.run().waitUntilFinish());
    assertThat(e.getMessage(), containsString("customer_engagements"));
    assertThat(e.getMessage(), containsString("SQLSTATE 25006"));
    assertThat(e.getMessage(), containsString("point --jdbcUrl at the primary"));
    // Runners (Flink) report the root cause: it must be the message that says what to do.
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    assertThat(root.getMessage(), containsString("point --jdbcUrl at the primary"));
    // Not a transient error: it fails at once, never retried.
    PostgresBatchWriter<Engagement> writer =
        new PostgresBatchWriter<>(
            readOnly, PostgresTable.ENGAGEMENTS.sql(), PostgresTable.ENGAGEMENTS.binder(), 4, 10);
    SQLException direct =
        assertThrows(SQLException.class, () -> writer.write(List.of(engagement("c", 3))));
    writer.close();
    assertEquals("25006", direct.getSQLState());
    assertEquals("retries of a read-only error", 0, writer.retries());
  }

  @Test
  public void aMissingInsertPermissionFailsTheWriteNamingTheGrant() throws Exception {
    execute("drop role if exists reader");
    execute("create role reader login");
    execute("grant select on customer_engagements to reader");
    PostgresConnection asReader =
        new PostgresConnection(postgres.getJdbcUrl("reader", "postgres"), "reader", "NO_SUCH_ENV");
    pipeline
        .apply(Create.of(engagement("a", 1)).withCoder(EngagementCoder.of()))
        .apply(new WriteToPostgres<>(asReader, PostgresTable.ENGAGEMENTS, 100));
    PipelineExecutionException e =
        assertThrows(PipelineExecutionException.class, () -> pipeline.run().waitUntilFinish());
    assertThat(e.getMessage(), containsString("customer_engagements"));
    assertThat(e.getMessage(), containsString("SQLSTATE 42501"));
    assertThat(e.getMessage(), containsString("grant"));
  }

  @Test
  public void aMissingTableIsAnErrorNotARejectedRow() throws Exception {
    PostgresConnection empty = newDatabase("no_tables", false);
    PostgresBatchWriter<Engagement> writer =
        new PostgresBatchWriter<>(
            empty, PostgresTable.ENGAGEMENTS.sql(), PostgresTable.ENGAGEMENTS.binder(), 3, 10);
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> writer.write(List.of(engagement("a", 1), engagement("b", 2))));
    writer.close();
    assertEquals("42P01", e.getSQLState());
  }

  @Test
  public void aStatementTimeoutIsRetried() throws Exception {
    PostgresConnection impatient =
        new PostgresConnection(
            postgres.getJdbcUrl("postgres", "postgres") + "&options=-c%20statement_timeout%3D300",
            "postgres",
            "NO_SUCH_ENV");
    PostgresBatchWriter<Engagement> writer =
        new PostgresBatchWriter<>(
            impatient, PostgresTable.ENGAGEMENTS.sql(), PostgresTable.ENGAGEMENTS.binder(), 8, 200);
    try (Connection locker = database.open();
        Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.execute("lock table customer_engagements in access exclusive mode");
      Thread release =
          new Thread(
              () -> {
                try {
                  Thread.sleep(700);
                  locker.rollback();
                } catch (Exception ignored) {
                  // the test fails on the count below
                }
              });
      release.start();
      assertEquals(List.of(), writer.write(List.of(engagement("a", 1))));
      release.join(60_000);
      assertFalse("the lock holder did not let go within 60 s", release.isAlive());
    }
    writer.close();
    assertEquals(1, count("select count(*) from customer_engagements"));
  }

  @Test(timeout = 60_000)
  public void aWriteBlockedLongerThanTheSocketTimeoutFailsInsteadOfHanging() throws Exception {
    PostgresSinkOptions options =
        PipelineOptionsFactory.fromArgs(
                "--jdbcUrl=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--jdbcPasswordEnv=NO_SUCH_ENV",
                "--jdbcSocketTimeout=1s",
                "--jdbcConnectTimeout=3s")
            .as(PostgresSinkOptions.class);
    PostgresConnection impatient = PostgresConnection.from(options);
    try (Connection c = impatient.open()) {
      assertEquals(1_000, c.getNetworkTimeout());
    }
    PostgresBatchWriter<Engagement> writer =
        new PostgresBatchWriter<>(
            impatient, PostgresTable.ENGAGEMENTS.sql(), PostgresTable.ENGAGEMENTS.binder(), 2, 10);
    try (Connection locker = database.open();
        Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.execute("lock table customer_engagements in access exclusive mode");
      SQLException e =
          assertThrows(SQLException.class, () -> writer.write(List.of(engagement("a", 1))));
      assertThat(e.getSQLState(), org.hamcrest.Matchers.startsWith("08"));
      locker.rollback();
    }
    writer.close();
  }

  @Test(timeout = 60_000)
  public void aServerThatAcceptsButNeverAnswersFailsWithinTheConnectTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      PostgresSinkOptions options =
          PipelineOptionsFactory.fromArgs(
                  "--jdbcUrl=jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/postgres",
                  "--jdbcConnectTimeout=1s")
              .as(PostgresSinkOptions.class);
      // Without the connect timeout the driver would wait forever; the test's timeout bounds it.
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PostgresConnection.from(options).checkReachable(false));
      assertThat(e.getMessage(), containsString("timed out"));
    }
  }

  private static final String SENTINEL = "Sentinel-Pa55word-7f3a";

  /** Every message of a throwable and its causes, as a log line would show them. */
  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }

  @Test
  public void aPasswordInTheUrlIsInNoErrorMessage() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + freePort() + "/postgres?password=" + SENTINEL;
    IllegalArgumentException unreachable =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PostgresConnection(url, "postgres", "NO_SUCH_ENV").checkReachable(false));
    assertThat(unreachable.getMessage(), containsString("Cannot use PostgreSQL at"));
    assertThat(messages(unreachable), not(containsString(SENTINEL)));
    IllegalArgumentException notPostgres =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PostgresConnection(
                    "jdbc:mysql://db/x?user=a&password=" + SENTINEL, "a", "NO_SUCH_ENV"));
    assertThat(notPostgres.getMessage(), containsString("jdbc:mysql://db/x"));
    assertThat(messages(notPostgres), not(containsString(SENTINEL)));
    assertThat(
        new PostgresConnection(url, "postgres", "NO_SUCH_ENV").toString(),
        not(containsString(SENTINEL)));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void aPasswordInTheUrlIsInNoRetryWarningNorFinalError() throws Exception {
    PostgresConnection down =
        new PostgresConnection(
            "jdbc:postgresql://127.0.0.1:"
                + freePort()
                + "/postgres?user=postgres&password="
                + SENTINEL,
            "postgres",
            "NO_SUCH_ENV");
    pipeline
        .apply(Create.of(engagement("a", 1)).withCoder(EngagementCoder.of()))
        .apply(new WriteToPostgres<>(down, PostgresTable.ENGAGEMENTS, 100));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    PipelineExecutionException e;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      e = assertThrows(PipelineExecutionException.class, () -> pipeline.run().waitUntilFinish());
    } finally {
      System.setErr(stderr);
    }
    String warnings = log.toString(StandardCharsets.UTF_8);
    assertThat(warnings, containsString("retrying"));
    assertThat(warnings, not(containsString(SENTINEL)));
    assertThat(e.getMessage(), containsString("Check that PostgreSQL is up and reachable"));
    assertThat(messages(e), not(containsString(SENTINEL)));
  }
}
