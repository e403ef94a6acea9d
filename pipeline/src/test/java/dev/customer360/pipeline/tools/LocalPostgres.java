package dev.customer360.pipeline.tools;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * A real PostgreSQL 17 server from Maven artifacts (no Docker, no system package), for trying the
 * Postgres sink by hand: {@code scripts/postgres-local.sh start|stop|query}.
 *
 * <pre>
 * LocalPostgres serve PORT DATA_DIR     runs until killed; data survives restarts
 * LocalPostgres query PORT "SQL"        prints the result as a table
 * </pre>
 */
public final class LocalPostgres {
  private LocalPostgres() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("serve")) {
      serve(Integer.parseInt(args[1]), new File(args[2]));
    } else if (args.length == 3 && args[0].equals("query")) {
      query(Integer.parseInt(args[1]), args[2]);
    } else {
      System.err.println("usage: LocalPostgres serve PORT DATA_DIR | query PORT SQL");
      System.exit(2);
    }
  }

  private static void serve(int port, File dataDir) throws Exception {
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setServerConfig("listen_addresses", "localhost")
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    postgres.close();
                  } catch (Exception e) {
                    System.err.println("stopping PostgreSQL: " + e);
                  }
                  stopped.countDown();
                }));
    System.out.println("PostgreSQL ready: " + postgres.getJdbcUrl("postgres", "postgres"));
    stopped.await();
  }

  private static void query(int port, String sql) throws Exception {
    String url = "jdbc:postgresql://localhost:" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      if (!s.execute(sql)) {
        System.out.println(s.getUpdateCount() + " row(s)");
        return;
      }
      try (ResultSet r = s.getResultSet()) {
        ResultSetMetaData meta = r.getMetaData();
        StringBuilder header = new StringBuilder();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          header.append(i > 1 ? " | " : "").append(meta.getColumnLabel(i));
        }
        System.out.println(header);
        int rows = 0;
        while (r.next()) {
          StringBuilder line = new StringBuilder();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            line.append(i > 1 ? " | " : "").append(r.getString(i));
          }
          System.out.println(line);
          rows++;
        }
        System.out.println("(" + rows + " rows)");
      }
    }
  }
}
