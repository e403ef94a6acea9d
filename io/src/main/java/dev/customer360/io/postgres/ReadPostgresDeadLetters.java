package dev.customer360.io.postgres;

import dev.customer360.io.RawRecords;
import dev.customer360.io.files.ReadDeadLetters;
import dev.customer360.transforms.values.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Instant;

/**
 * Reads the dead letters this job wrote to PostgreSQL (table {@code dead_letters}), for a replay:
 * every row, in id order, streamed from a cursor ({@link #FETCH_SIZE} rows at a time), so a large
 * table is never held in memory. A base64 payload ({@code payload_encoding = 'base64'}, one that
 * held NUL) is decoded back to its text. Rows of older versions read as they were meant: without a
 * stage (routed by their reason), with one attempt, replayable unless said otherwise.
 *
 * <p>One worker reads the whole table: dead letters are few next to the records. Out come the dead
 * letters ({@link ReadDeadLetters#DEAD_LETTERS}) and, for a row whose payload cannot be decoded, a
 * dead letter of its own ({@link RawRecords#DEAD_LETTERS}, stage {@code read}, naming the row).
 */
public final class ReadPostgresDeadLetters extends PTransform<PBegin, PCollectionTuple> {
  /** Rows fetched from the cursor at a time. */
  static final int FETCH_SIZE = 500;

  private static final String TABLE = PostgresTable.DEAD_LETTERS.name();

  private final PostgresConnection database;

  public ReadPostgresDeadLetters(PostgresConnection database) {
    this.database = database;
  }

  /**
   * Fails now if the database cannot be reached or has no dead-letter table; the message starts
   * with {@code location} (the option that asked for the read).
   */
  public static void checkReadable(PostgresConnection database, String location) {
    try (Connection c = database.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select to_regclass('" + TABLE + "') is not null")) {
      r.next();
      if (!r.getBoolean(1)) {
        throw new IllegalArgumentException(
            location
                + ": PostgreSQL at "
                + database.displayUrl()
                + " has no table "
                + TABLE
                + "; give the database a run wrote its dead letters to (--jdbcUrl)");
      }
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          location
              + ": cannot read the dead letters at "
              + database
              + ": "
              + PostgresErrors.describe(e)
              + ". Check that the server is running and reachable, --jdbcUrl, --jdbcUser and the"
              + " password's environment variable (--jdbcPasswordEnv)",
          PostgresErrors.safeCause(e));
    }
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    return ReadDeadLetters.readOne(begin, TABLE, "ReadRows", new ReadRowsFn(database));
  }

  /** Streams the table's rows, each as its dead letter. */
  static final class ReadRowsFn extends DoFn<String, DeadLetter> {
    private final PostgresConnection database;

    ReadRowsFn(PostgresConnection database) {
      this.database = database;
    }

    @ProcessElement
    public void process(@Element String table, MultiOutputReceiver out) {
      try (Connection c = database.open()) {
        // The driver streams with a cursor only inside a transaction; it only reads.
        c.setAutoCommit(false);
        c.setReadOnly(true);
        try (PreparedStatement s = c.prepareStatement("select * from " + table + " order by id")) {
          s.setFetchSize(FETCH_SIZE);
          try (ResultSet rows = s.executeQuery()) {
            Set<String> columns = columnsOf(rows.getMetaData());
            while (rows.next()) {
              out(rows, columns, out);
            }
          }
        }
        c.commit();
      } catch (SQLException e) {
        throw new IllegalStateException(
            "Cannot read the dead letters at "
                + database
                + ": "
                + PostgresErrors.describe(e)
                + "; run the replay again once the database is reachable",
            PostgresErrors.safeCause(e));
      }
    }

    private static Set<String> columnsOf(ResultSetMetaData meta) throws SQLException {
      Set<String> columns = new HashSet<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
      }
      return columns;
    }

    /** One row: its dead letter, or a dead letter saying which row cannot be read and why. */
    private static void out(ResultSet row, Set<String> columns, MultiOutputReceiver out)
        throws SQLException {
      String payload = row.getString("payload");
      if (columns.contains("payload_encoding")
          && "base64".equals(row.getString("payload_encoding"))) {
        try {
          payload = new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          out.get(RawRecords.DEAD_LETTERS)
              .output(
                  DeadLetter.of(
                      DeadLetter.Stage.READ,
                      ReadDeadLetters.SOURCE,
                      "row "
                          + row.getString("id")
                          + " of "
                          + TABLE
                          + " says its payload is base64 but it is not ("
                          + e.getMessage()
                          + "); correct the row's payload or payload_encoding and replay it",
                      payload));
          return;
        }
      }
      out.get(ReadDeadLetters.DEAD_LETTERS)
          .output(
              DeadLetter.ofColumns(
                  row.getString("source"),
                  row.getString("error"),
                  payload,
                  new Instant(
                      row.getObject("failed_at", OffsetDateTime.class).toInstant().toEpochMilli()),
                  !columns.contains("replayable") || row.getBoolean("replayable"),
                  columns.contains("stage") ? row.getString("stage") : null,
                  columns.contains("attempts") ? row.getInt("attempts") : 1,
                  columns.contains("origin") ? row.getString("origin") : null));
    }
  }
}
