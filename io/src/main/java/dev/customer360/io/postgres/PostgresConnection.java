package dev.customer360.io.postgres;

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

  private final String url;
  private final String user;
  private final String passwordEnv;

  public PostgresConnection(String url, String user, String passwordEnv) {
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "--jdbcUrl must be a PostgreSQL JDBC URL like jdbc:postgresql://localhost:5432/postgres,"
              + " got "
              + url);
    }
    this.url = url;
    this.user = user;
    this.passwordEnv = passwordEnv;
  }

  public static PostgresConnection from(PostgresSinkOptions options) {
    return new PostgresConnection(
        options.getJdbcUrl(), options.getJdbcUser(), options.getJdbcPasswordEnv());
  }

  public String url() {
    return url;
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
    props.setProperty("connectTimeout", "10");
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
              + url
              + " as user "
              + user
              + ": "
              + e.getMessage()
              + ". Check that the server is running and reachable, --jdbcUrl, --jdbcUser and the"
              + " password in $"
              + passwordEnv
              + (createTables ? "" : ", and that the tables exist (--createTables creates them)"),
          e);
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
    return url + " as " + user;
  }
}
