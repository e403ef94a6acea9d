package dev.customer360.io.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows in JDBC batches, one transaction per batch, and keeps going when it can:
 *
 * <ul>
 *   <li>a transient failure (connection lost or refused, serialization failure, deadlock, server
 *       shutting down or out of resources, statement timeout) is retried with exponential backoff
 *       ({@link FluentBackoff}) on a fresh connection;
 *   <li>a row the database rejects for its values (SQLSTATE class 22, 23 or 54, e.g. a value too
 *       long for its column) fails alone: the batch is replayed row by row, the others are written,
 *       and the rejected row is returned with the database's error;
 *   <li>any other error (read-only database, permission denied, missing table...) would fail every
 *       row alike: it is thrown at once, never turned into rejected rows.
 * </ul>
 *
 * Statements must be idempotent (upserts), since a retried batch may have been partly applied.
 */
public final class PostgresBatchWriter<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresBatchWriter.class);

  /** Sets the statement's parameters for one row. */
  public interface Binder<T> extends java.io.Serializable {
    void bind(PreparedStatement statement, T row) throws SQLException;
  }

  /** A row the database would not take, and why. */
  public static final class Rejected<T> {
    public final T row;
    public final String error;

    Rejected(T row, String error) {
      this.row = row;
      this.error = error;
    }
  }

  private final PostgresConnection database;
  private long unchanged;
  private final String sql;
  private final Binder<T> binder;
  private final int maxAttempts;
  private final FluentBackoff retries;
  private final Sleeper sleeper;
  private Connection connection;
  private long retried;

  /**
   * @param maxAttempts attempts per batch, the first included
   * @param firstBackoffMillis the pause before the second attempt; each next one doubles, up to 30
   *     s, each drawn at random within ±50% (so that writers that failed together do not retry
   *     together)
   */
  public PostgresBatchWriter(
      PostgresConnection database,
      String sql,
      Binder<T> binder,
      int maxAttempts,
      long firstBackoffMillis) {
    this(database, sql, binder, maxAttempts, firstBackoffMillis, Sleeper.DEFAULT);
  }

  PostgresBatchWriter(
      PostgresConnection database,
      String sql,
      Binder<T> binder,
      int maxAttempts,
      long firstBackoffMillis,
      Sleeper sleeper) {
    this.database = database;
    this.sql = sql;
    this.binder = binder;
    this.maxAttempts = maxAttempts;
    this.retries =
        FluentBackoff.DEFAULT
            .withMaxRetries(maxAttempts - 1)
            .withInitialBackoff(Duration.millis(firstBackoffMillis))
            .withExponent(2)
            .withMaxBackoff(MAX_BACKOFF);
    this.sleeper = sleeper;
  }

  private static final Duration MAX_BACKOFF = Duration.standardSeconds(30);

  /**
   * Rows written since the last call that changed nothing: their key was present and the upsert's
   * condition kept the stored row (an engagement already there, a dead letter already stored).
   */
  public long takeUnchanged() {
    long taken = unchanged;
    unchanged = 0;
    return taken;
  }

  /**
   * Writes {@code rows}; returns the ones the database rejected for good.
   *
   * @throws SQLException if a transient failure outlasts every retry, or at once for an error that
   *     is not about one row ({@link PostgresErrors#classify})
   */
  public List<Rejected<T>> write(List<T> rows) throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    return withRetries(
        () -> {
          try {
            writeBatch(rows);
            return List.<Rejected<T>>of();
          } catch (SQLException e) {
            if (PostgresErrors.classify(e) != PostgresErrors.Kind.BAD_ROW) {
              throw e;
            }
            // Some row is bad: find it by writing one row at a time.
            List<Rejected<T>> rejected = new ArrayList<>();
            for (T row : rows) {
              String error = writeOne(row);
              if (error != null) {
                rejected.add(new Rejected<>(row, error));
              }
            }
            return rejected;
          }
        });
  }

  private void writeBatch(List<T> rows) throws SQLException {
    Connection c = connection();
    c.setAutoCommit(false);
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (T row : rows) {
        binder.bind(statement, row);
        statement.addBatch();
      }
      int[] counts = statement.executeBatch();
      c.commit();
      for (int count : counts) {
        unchanged += count == 0 ? 1 : 0;
      }
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw e;
    }
  }

  /** Writes one row in its own transaction; returns the database's error if it rejects it. */
  private String writeOne(T row) throws SQLException {
    Connection c = connection();
    c.setAutoCommit(true);
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      binder.bind(statement, row);
      unchanged += statement.executeUpdate() == 0 ? 1 : 0;
      return null;
    } catch (SQLException e) {
      if (PostgresErrors.classify(e) != PostgresErrors.Kind.BAD_ROW) {
        throw e;
      }
      return e.getMessage();
    }
  }

  interface Attempt<R> {
    R run() throws SQLException;
  }

  /** Runs {@code attempt}, again on a fresh connection after each transient failure. */
  <R> R withRetries(Attempt<R> attempt) throws SQLException {
    BackOff pauses = retries.backoff();
    for (int i = 1; ; i++) {
      try {
        return attempt.run();
      } catch (SQLException e) {
        long pause =
            PostgresErrors.classify(e) == PostgresErrors.Kind.TRANSIENT
                ? pauses.nextBackOffMillis()
                : BackOff.STOP;
        if (pause == BackOff.STOP) {
          throw e;
        }
        LOG.warn(
            "Transient PostgreSQL error at {} (attempt {} of {}), retrying in {} ms: {}",
            database.displayUrl(),
            i,
            maxAttempts,
            pause,
            PostgresErrors.describe(e));
        retried++;
        closeQuietly();
        try {
          sleeper.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** How many times this writer retried after a transient failure. */
  public long retries() {
    return retried;
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = database.open();
    }
    return connection;
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the retry opens a new one.
    }
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Already broken.
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
