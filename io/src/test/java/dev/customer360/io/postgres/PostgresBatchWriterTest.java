package dev.customer360.io.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The retry policy without a database: how often, how long between, and which errors. */
@RunWith(JUnit4.class)
public class PostgresBatchWriterTest {
  /** Never connected: the attempts below fail before any statement. */
  private static final PostgresConnection NOWHERE =
      new PostgresConnection("jdbc:postgresql://127.0.0.1:1/none", "postgres", "NO_SUCH_ENV");

  private final List<Long> pauses = new ArrayList<>();

  private PostgresBatchWriter<String> writer(int maxAttempts, long firstBackoffMillis) {
    return new PostgresBatchWriter<>(
        NOWHERE, "select 1", (s, row) -> {}, maxAttempts, firstBackoffMillis, pauses::add);
  }

  /** An attempt that fails with {@code state} {@code failures} times, then returns "done". */
  private static PostgresBatchWriter.Attempt<String> failing(String state, int failures) {
    int[] calls = {0};
    return () -> {
      if (++calls[0] <= failures) {
        throw new SQLException("failure " + calls[0], state);
      }
      return "done";
    };
  }

  @Test
  public void aTransientErrorIsRetriedUpToTheAttemptsWithDoublingPauses() {
    SQLException e =
        assertThrows(SQLException.class, () -> writer(6, 200).withRetries(failing("08006", 100)));
    assertEquals("failure 6", e.getMessage()); // the last attempt's error, after 6
    assertEquals(5, pauses.size());
    long expected = 200;
    for (long pause : pauses) {
      // Randomized within ±50% around 200, 400, 800, 1600, 3200 ms.
      assertThat(
          pause, allOf(greaterThanOrEqualTo(expected / 2), lessThanOrEqualTo(expected * 3 / 2)));
      expected *= 2;
    }
  }

  @Test
  public void pausesStopGrowingAtThirtySeconds() throws Exception {
    assertThrows(SQLException.class, () -> writer(10, 10_000).withRetries(failing("40001", 100)));
    for (long pause : pauses.subList(2, pauses.size())) {
      assertThat(pause, allOf(greaterThanOrEqualTo(15_000L), lessThanOrEqualTo(45_000L)));
    }
  }

  @Test
  public void aTransientErrorThatClearsIsNotReported() throws Exception {
    assertEquals("done", writer(6, 200).withRetries(failing("57014", 2)));
    assertEquals(2, pauses.size());
  }

  @Test
  public void errorsThatNoRetryFixesAreThrownAtOnce() {
    for (String state : List.of("25006", "42501", "42P01", "22001", "23505")) {
      SQLException e =
          assertThrows(SQLException.class, () -> writer(6, 200).withRetries(failing(state, 1)));
      assertEquals(state, e.getSQLState());
    }
    assertEquals(List.of(), pauses);
  }
}
