package dev.customer360.pipeline.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long {@link StreamBench}'s records took to reach PostgreSQL: from the raw record's Kafka
 * timestamp to the {@code loaded_at} of its engagement's row ({@code now()} of the inserting
 * transaction, which commits right after its batch). Read once, after the run, per rate step.
 */
final class PostgresLatency {
  private PostgresLatency() {}

  /** A rate step: its rate and the producer's time span. */
  static final class Span {
    final int rate;
    final long startMs;
    final long endMs;
    final List<Long> latencies = new ArrayList<>();

    Span(int rate, long startMs, long endMs) {
      this.rate = rate;
      this.startMs = startMs;
      this.endMs = endMs;
    }
  }

  /**
   * Waits up to {@code waitSeconds} for a row per sent record, then prints a table per step and
   * writes {@code csv}: rows, latency p50/p95/p99/max, records with no row.
   */
  static void report(
      String jdbcUrl, Map<String, Long> sentAt, List<Span> steps, int waitSeconds, Path csv)
      throws SQLException, IOException, InterruptedException {
    Map<String, Long> loadedAt = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
      long deadline = System.currentTimeMillis() + waitSeconds * 1000L;
      while (count(c) < sentAt.size() && System.currentTimeMillis() < deadline) {
        Thread.sleep(1000);
      }
      c.setAutoCommit(false); // a cursor: rows are fetched in batches
      try (Statement s = c.createStatement()) {
        s.setFetchSize(10_000);
        try (ResultSet r =
            s.executeQuery(
                "select user_id || '|' || to_char(engagement_datetime at time zone 'UTC',"
                    + " 'YYYY-MM-DD HH24:MI:SS') || '|' || engagement_source_id,"
                    + " (extract(epoch from loaded_at) * 1000)::bigint from customer_engagements")) {
          while (r.next()) {
            loadedAt.put(r.getString(1), r.getLong(2));
          }
        }
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add("target_rate,rows,pg_p50_ms,pg_p95_ms,pg_p99_ms,pg_max_ms,no_row");
    System.out.printf(
        "PostgreSQL (raw record's Kafka timestamp -> the row's loaded_at)%n%7s %8s %7s %7s %7s %7s"
            + " %7s%n",
        "rate", "rows", "p50 ms", "p95 ms", "p99 ms", "max ms", "no row");
    Map<Span, Long> missing = new HashMap<>();
    sentAt.forEach(
        (key, sent) -> {
          for (Span step : steps) {
            if (sent >= step.startMs && sent <= step.endMs) {
              Long loaded = loadedAt.get(key);
              if (loaded == null) {
                missing.merge(step, 1L, Long::sum);
              } else {
                step.latencies.add(loaded - sent);
              }
            }
          }
        });
    for (Span step : steps) {
      List<Long> l = step.latencies;
      l.sort(null);
      String row =
          String.format(
              Locale.ROOT,
              "%d,%d,%d,%d,%d,%d,%d",
              step.rate,
              l.size(),
              StreamBench.percentile(l, 0.50),
              StreamBench.percentile(l, 0.95),
              StreamBench.percentile(l, 0.99),
              l.isEmpty() ? -1 : l.get(l.size() - 1),
              missing.getOrDefault(step, 0L));
      lines.add(row);
      System.out.printf(Locale.ROOT, "%7s %8s %7s %7s %7s %7s %7s%n", (Object[]) row.split(","));
    }
    Files.write(csv, lines, StandardCharsets.UTF_8);
    System.out.println("PostgreSQL latencies: " + csv);
  }

  private static long count(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select count(*) from customer_engagements")) {
      r.next();
      return r.getLong(1);
    }
  }
}
