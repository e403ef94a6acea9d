package dev.customer360.io.postgres;

import static org.junit.Assert.assertEquals;

import dev.customer360.io.postgres.PostgresErrors.Kind;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Which SQLSTATEs are one bad row, which are retried, which stop the job. */
@RunWith(JUnit4.class)
public class PostgresErrorsTest {
  private static Kind kind(String state) {
    return PostgresErrors.classify(new SQLException("x", state));
  }

  @Test
  public void onlyDataErrorsAreAboutOneRow() {
    assertEquals(Kind.BAD_ROW, kind("22001")); // value too long
    assertEquals(Kind.BAD_ROW, kind("23505")); // unique violation
    assertEquals(Kind.BAD_ROW, kind("23514")); // check violation
    assertEquals(Kind.BAD_ROW, kind("54000")); // program limit exceeded
  }

  @Test
  public void connectionTroubleLocksAndTimeoutsAreRetried() {
    assertEquals(Kind.TRANSIENT, kind(null)); // refused before any SQLSTATE
    assertEquals(Kind.TRANSIENT, kind("08006"));
    assertEquals(Kind.TRANSIENT, kind("40001"));
    assertEquals(Kind.TRANSIENT, kind("40P01"));
    assertEquals(Kind.TRANSIENT, kind("53300"));
    assertEquals(Kind.TRANSIENT, kind("57P01"));
    assertEquals(Kind.TRANSIENT, kind("57014")); // statement timeout
  }

  @Test
  public void everythingElseStopsTheJob() {
    assertEquals(Kind.FATAL, kind("25006")); // read-only transaction
    assertEquals(Kind.FATAL, kind("42501")); // permission denied
    assertEquals(Kind.FATAL, kind("42P01")); // undefined table
    assertEquals(Kind.FATAL, kind("28P01")); // bad password
  }

  @Test
  public void aFailedBatchIsJudgedByTheServerErrorItWraps() {
    BatchUpdateException batch =
        new BatchUpdateException(
            "Batch entry 0 insert ... ('secret row') was aborted", "25006", 0, new int[0]);
    batch.setNextException(new SQLException("ERROR: cannot execute INSERT", "25006"));
    assertEquals(Kind.FATAL, PostgresErrors.classify(batch));
    assertEquals("SQLSTATE 25006: ERROR: cannot execute INSERT", PostgresErrors.describe(batch));
    assertEquals(
        "SQLSTATE 25006: ERROR: cannot execute INSERT",
        PostgresErrors.safeCause(batch).getMessage());
  }

  @Test
  public void passwordsInUrlsAreMasked() {
    assertEquals(
        "jdbc:postgresql://h/db?password=***",
        PostgresErrors.mask("jdbc:postgresql://h/db?password=s3cr3t"));
    assertEquals(
        "jdbc:postgresql://h/db?user=a&password=***&ssl=true&sslpassword=*** and more",
        PostgresErrors.mask(
            "jdbc:postgresql://h/db?user=a&password=p&ssl=true&sslpassword=k and more"));
    assertEquals("jdbc:postgresql://h/db", PostgresErrors.mask("jdbc:postgresql://h/db"));
  }
}
