package dev.customer360.io.postgres;

import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * What a PostgreSQL error means for the writer, by SQLSTATE: one bad row, a passing trouble worth
 * retrying, or a problem with the database or the options that no retry or dead letter can fix.
 */
final class PostgresErrors {
  private PostgresErrors() {}

  enum Kind {
    /** The row's values: data exception (22), integrity constraint (23), program limit (54). */
    BAD_ROW,
    /** Worth retrying on a fresh connection after a pause. */
    TRANSIENT,
    /** Read-only database, permissions, missing table...: every row would fail the same way. */
    FATAL
  }

  /**
   * Transient: connection trouble (class 08, or no SQLSTATE, as when the server refuses the
   * connection), serialization failure 40001, deadlock 40P01, insufficient resources (53), operator
   * intervention such as a shutdown (57P*), statement timeout 57014 (a long lock wait).
   */
  static Kind classify(SQLException e) {
    String state = serverError(e).getSQLState();
    if (state == null
        || state.startsWith("08")
        || state.equals("40001")
        || state.equals("40P01")
        || state.startsWith("53")
        || state.startsWith("57P")
        || state.equals("57014")) {
      return Kind.TRANSIENT;
    }
    if (state.startsWith("22") || state.startsWith("23") || state.startsWith("54")) {
      return Kind.BAD_ROW;
    }
    return Kind.FATAL;
  }

  /**
   * The server's own error. A failed batch is reported as a wrapper naming the batch entry; the
   * error it wraps is the one to classify and show.
   */
  static SQLException serverError(SQLException e) {
    SQLException next = e.getNextException();
    return next != null && e instanceof java.sql.BatchUpdateException ? next : e;
  }

  /** {@code SQLSTATE 25006: ERROR: cannot execute INSERT in a read-only transaction}. */
  static String describe(SQLException e) {
    SQLException server = serverError(e);
    return "SQLSTATE " + server.getSQLState() + ": " + mask(server.getMessage());
  }

  /**
   * A copy of the error safe to chain as a cause: its message is {@link #describe}, so it carries
   * neither a password nor the batch's row values; the stack trace is kept.
   */
  static SQLException safeCause(SQLException e) {
    SQLException server = serverError(e);
    SQLException safe = new SQLException(describe(server), server.getSQLState());
    safe.setStackTrace(server.getStackTrace());
    return safe;
  }

  /** What the user must do about a {@link Kind#FATAL} error. */
  static String whatToDo(SQLException e, String table) {
    String state = String.valueOf(serverError(e).getSQLState());
    switch (state) {
      case "25006":
        return "the database is read-only (a standby, e.g. after a failover, or"
            + " default_transaction_read_only is on): point --jdbcUrl at the primary";
      case "42501":
        return "permission denied: grant --jdbcUser INSERT and UPDATE on "
            + table
            + " (grant insert, update on "
            + table
            + " to <user>)";
      case "42P01":
        return "the table "
            + table
            + " does not exist: create it with --createTables (src/ddl/postgres.sql)";
      case "3D000":
        return "the database in --jdbcUrl does not exist: create it or fix --jdbcUrl";
      default:
        if (state.startsWith("28")) {
          return "the server refused the login: check --jdbcUser and the password in the"
              + " environment variable named by --jdbcPasswordEnv";
        }
        if (state.startsWith("42")) {
          return "the table "
              + table
              + " does not match src/ddl/postgres.sql: fix its definition (--createTables"
              + " creates missing tables only)";
        }
        if (state.startsWith("25")) {
          return "the database refused the transaction: check that --jdbcUrl points at a"
              + " writable primary";
        }
        return "fix the database or the options named above and run again";
    }
  }

  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("(?i)([?&;][a-z]*password=)[^&;\\s]*");

  /**
   * {@code text} with the value of every {@code password=} or {@code sslpassword=} URL parameter
   * replaced by {@code ***}: URLs reach error messages and logs, secrets must not.
   */
  static String mask(String text) {
    return text == null ? null : SECRET_PARAMETER.matcher(text).replaceAll("$1***");
  }
}
