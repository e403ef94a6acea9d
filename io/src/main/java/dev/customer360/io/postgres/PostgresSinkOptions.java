package dev.customer360.io.postgres;

import dev.customer360.transforms.DurationOption;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the PostgreSQL sink writes. The password never travels in options: see below. */
public interface PostgresSinkOptions extends PipelineOptions {
  @Description(
      "JDBC URL of the PostgreSQL database, e.g. jdbc:postgresql://localhost:5432/postgres")
  String getJdbcUrl();

  void setJdbcUrl(String value);

  @Description("Database user")
  @Default.String("postgres")
  String getJdbcUser();

  void setJdbcUser(String value);

  @Description(
      "Name of the environment variable holding the database password (read on each worker,"
          + " never logged); unset or empty means no password")
  @Default.String("PGPASSWORD")
  String getJdbcPasswordEnv();

  void setJdbcPasswordEnv(String value);

  @Description("Create the tables of src/ddl/postgres.sql (if they do not exist) before running")
  @Default.Boolean(false)
  boolean getCreateTables();

  void setCreateTables(boolean value);

  @Description("Rows per JDBC batch")
  @Default.Integer(500)
  int getJdbcBatchSize();

  void setJdbcBatchSize(int value);

  @Description(
      "Longest wait for any reply of PostgreSQL, e.g. 120s: a connection that stops answering"
          + " (half-open after a network fault) then fails and is retried instead of blocking the"
          + " write forever. Keep it above the longest lock wait or statement a write may meet,"
          + " or such writes fail and retry in a loop")
  @Default.InstanceFactory(DurationOption.TwoMinutes.class)
  DurationOption getJdbcSocketTimeout();

  void setJdbcSocketTimeout(DurationOption value);

  @Description("Longest wait to connect to PostgreSQL and to log in, e.g. 10s")
  @Default.InstanceFactory(DurationOption.TenSeconds.class)
  DurationOption getJdbcConnectTimeout();

  void setJdbcConnectTimeout(DurationOption value);
}
