package dev.customer360.io.postgres;

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
}
