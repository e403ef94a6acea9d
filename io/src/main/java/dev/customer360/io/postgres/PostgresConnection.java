package dev.customer360.io.postgres;

import dev.customer360.transforms.DurationOption;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * How to reach the database: URL, user, and the name of the environment variable holding the
 * password. Serializable and secret-free, so it can travel to workers and into logs.
 */
public final class PostgresConnection implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Defaults of {@link PostgresSinkOptions}: socket 120 s, connect and log in 10 s. */
  static final int DEFAULT_SOCKET_TIMEOUT_SECONDS = 120;

  static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

  private final String url;
  private final String user;
  private final String passwordEnv;
  private final int socketTimeoutSeconds;
  private final int connectTimeoutSeconds;

  public PostgresConnection(String url, String user, String passwordEnv) {
    this(url, user, passwordEnv, DEFAULT_SOCKET_TIMEOUT_SECONDS, DEFAULT_CONNECT_TIMEOUT_SECONDS);
  }

  /**
   * @param socketTimeoutSeconds longest wait for any reply of the server; a half-open connection
   *     then fails (and is retried) instead of blocking forever
   * @param connectTimeoutSeconds longest wait to connect, and to log in
   */
  public PostgresConnection(
      String url,
      String user,
      String passwordEnv,
      int socketTimeoutSeconds,
      int connectTimeoutSeconds) {
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "--jdbcUrl must be a PostgreSQL JDBC URL like jdbc:postgresql://localhost:5432/postgres,"
              + " got "
              + PostgresErrors.mask(url));
    }
    this.url = url;
    this.user = user;
    this.passwordEnv = passwordEnv;
    this.socketTimeoutSeconds = socketTimeoutSeconds;
    this.connectTimeoutSeconds = connectTimeoutSeconds;
  }

  public static PostgresConnection from(PostgresSinkOptions options) {
    return new PostgresConnection(
        options.getJdbcUrl(),
        options.getJdbcUser(),
        options.getJdbcPasswordEnv(),
        seconds("--jdbcSocketTimeout", options.getJdbcSocketTimeout()),
        seconds("--jdbcConnectTimeout", options.getJdbcConnectTimeout()));
  }

  /** A timeout option in whole seconds (what the driver takes), rounded up, at least 1. */
  private static int seconds(String flag, DurationOption value) {
    long millis = value.duration().getMillis();
    if (millis <= 0 || millis > Integer.MAX_VALUE * 1000L) {
      throw new IllegalArgumentException(
          flag + "=" + value + ": give a timeout of at least 1s, e.g. " + flag + "=120s");
    }
    return (int) ((millis + 999) / 1000);
  }

  /** The URL to connect with; it may hold a password: show {@link #displayUrl()} instead. */
  public String url() {
    return url;
  }

  /** Whether the URL itself holds a secret ({@code password=}, {@code sslpassword=}). */
  public boolean urlHoldsSecret() {
    return !displayUrl().equals(url);
  }

  /** The URL with any {@code password=} parameter masked: the one form for logs and errors. */
  public String displayUrl() {
    return PostgresErrors.mask(url);
  }

  /** Opens a connection; the password is read from the environment now, on this machine. */
  public Connection open() throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    String password =
        passwordEnv == null || passwordEnv.isEmpty() ? null : System.getenv(passwordEnv);
    if (password != null && !password.isEmpty()) {
      props.setProperty("password", password);
    }
    // A half-open connection would block executeBatch forever; the socket timeout turns it into
    // a connection error, which is retried. It must exceed the longest lock wait a write may see.
    props.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
    props.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
    props.setProperty("loginTimeout", Integer.toString(connectTimeoutSeconds));
    // Server error details and batch errors quote the row's values: personal data, kept out of
    // messages (a rejected row's values are in its dead letter's payload already).
    props.setProperty("logServerErrorDetail", "false");
    props.setProperty("ApplicationName", "customer360");
    return DriverManager.getConnection(url, props);
  }

  /**
   * Fails now, naming the URL and what to check, if the database cannot be reached; with {@code
   * createTables}, also applies {@code src/ddl/postgres.sql}.
   */
  public void checkReachable(boolean createTables) {
    try (Connection c = open()) {
      if (createTables) {
        try (Statement s = c.createStatement()) {
          s.execute(ddl());
        }
      }
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "Cannot use PostgreSQL at "
              + displayUrl()
              + " as user "
              + user
              + ": "
              + PostgresErrors.describe(e)
              + ". Check that the server is running and reachable, --jdbcUrl, --jdbcUser and the"
              + " password in $"
              + passwordEnv
              + (createTables ? "" : ", and that the tables exist (--createTables creates them)"),
          PostgresErrors.safeCause(e));
    }
  }

  /** The schema, {@code src/ddl/postgres.sql} as built into the jar. */
  public static String ddl() {
    try (InputStream in =
        PostgresConnection.class.getClassLoader().getResourceAsStream("ddl/postgres.sql")) {
      if (in == null) {
        throw new IllegalStateException("ddl/postgres.sql is missing from the classpath; rebuild");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return displayUrl() + " as " + user;
  }
}
