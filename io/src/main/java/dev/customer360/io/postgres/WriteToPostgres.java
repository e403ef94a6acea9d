package dev.customer360.io.postgres;

import dev.customer360.transforms.MetricNames;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.DeadLetterCoder;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Writes a collection to one PostgreSQL table in idempotent JDBC batches ({@link
 * PostgresBatchWriter}); outputs a dead letter for each row the database rejects for its values,
 * with the database's error. An error that is not about one row (read-only database, permission,
 * missing table) or transient trouble that outlasts the retries fails the bundle. Counters: {@code
 * postgres_<table>_written}, {@code postgres_<table>_rejected}.
 */
public final class WriteToPostgres<T> extends PTransform<PCollection<T>, PCollection<DeadLetter>> {
  private final PostgresConnection database;
  private final PostgresTable<T> table;
  private final int batchSize;

  public WriteToPostgres(PostgresConnection database, PostgresTable<T> table, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
    }
    this.database = database;
    this.table = table;
    this.batchSize = batchSize;
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<T> rows) {
    return rows.apply("Upsert " + table.name(), ParDo.of(new WriteFn<>(database, table, batchSize)))
        .setCoder(DeadLetterCoder.of())
        // Dead letters from every step meet in one global-window stream with the default trigger
        // (the rows' own trigger, e.g. the profiles' early firings, must not come along).
        .apply(
            "DeadLettersIntoGlobalWindow",
            Window.<DeadLetter>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes());
  }

  /** A rejected row's dead letter error: {@code REJECTED + database error + REJECTED_HINT}. */
  static final String REJECTED = "PostgreSQL rejected the row: ";

  static final String REJECTED_HINT =
      "; fix the value at its source, or widen the column in src/ddl/postgres.sql, and replay it";

  static final class WriteFn<T> extends DoFn<T, DeadLetter> {
    /**
     * Attempts per batch and first backoff: 6 attempts wait 0.2+0.4+0.8+1.6+3.2 = 6.2 s in all on
     * average (each pause is drawn within ±50%).
     */
    static final int MAX_ATTEMPTS = 6;

    static final long FIRST_BACKOFF_MILLIS = 200;

    private final PostgresConnection database;
    private final PostgresTable<T> table;
    private final int batchSize;
    private final Counter written;
    private final Counter rejected;
    private final Counter unchanged;
    private transient PostgresBatchWriter<T> writer;
    private transient List<Pending<T>> batch;
    private transient List<Pending<DeadLetter>> deadLetters;
    private transient java.util.Map<String, Counter> rejectedBySource;

    /** An element with where it lives, so its dead letter keeps its window. */
    private static final class Pending<V> {
      final V value;
      final Instant timestamp;
      final BoundedWindow window;

      Pending(V value, Instant timestamp, BoundedWindow window) {
        this.value = value;
        this.timestamp = timestamp;
        this.window = window;
      }
    }

    WriteFn(PostgresConnection database, PostgresTable<T> table, int batchSize) {
      this.database = database;
      this.table = table;
      this.batchSize = batchSize;
      this.written =
          Metrics.counter(WriteToPostgres.class, MetricNames.postgresWritten(table.name()));
      this.unchanged =
          Metrics.counter(WriteToPostgres.class, MetricNames.postgresUnchanged(table.name()));
      this.rejected =
          Metrics.counter(WriteToPostgres.class, MetricNames.postgresRejected(table.name()));
    }

    @Setup
    public void setup() {
      writer =
          new PostgresBatchWriter<>(
              database, table.sql(), table.binder(), MAX_ATTEMPTS, FIRST_BACKOFF_MILLIS);
      rejectedBySource = new java.util.HashMap<>();
    }

    @StartBundle
    public void startBundle() {
      batch = new ArrayList<>();
      deadLetters = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element T row, @Timestamp Instant timestamp, BoundedWindow window) {
      batch.add(new Pending<>(row, timestamp, window));
      if (batch.size() >= batchSize) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      flush();
      for (Pending<DeadLetter> d : deadLetters) {
        context.output(d.value, d.timestamp, d.window);
      }
      deadLetters.clear();
    }

    private void flush() {
      if (batch.isEmpty()) {
        return;
      }
      List<T> rows = new ArrayList<>(batch.size());
      batch.forEach(p -> rows.add(p.value));
      List<PostgresBatchWriter.Rejected<T>> failures;
      try {
        failures = writer.write(rows);
      } catch (SQLException e) {
        // Fail the bundle rather than lose rows: the runner retries it (the upserts make that
        // safe), then fails the job with this message. The driver's error is attached as
        // suppressed, not as the cause, so this message is the root cause runners report.
        IllegalStateException failure = new IllegalStateException(failure(e, rows.size()));
        failure.addSuppressed(PostgresErrors.safeCause(e));
        throw failure;
      }
      written.inc(rows.size() - failures.size());
      unchanged.inc(writer.takeUnchanged());
      rejected.inc(failures.size());
      for (PostgresBatchWriter.Rejected<T> failure : failures) {
        rejectedFrom(table.rawSource(failure.row)).inc();
        Pending<T> origin = find(failure.row);
        deadLetters.add(new Pending<>(deadLetterOf(failure), origin.timestamp, origin.window));
      }
      batch.clear();
    }

    /**
     * A rejected row as a dead letter. Only a rejected engagement can be replayed (into dedup and
     * the sinks); a profile or another row is rebuilt by running the job again.
     */
    private DeadLetter deadLetterOf(PostgresBatchWriter.Rejected<T> failure) {
      DeadLetter d =
          DeadLetter.of(
              DeadLetter.Stage.SINK,
              "postgres:" + table.name(),
              REJECTED
                  + failure.error
                  + fromRawSource(table.rawSource(failure.row))
                  + REJECTED_HINT,
              table.describe(failure.row));
      return table.name().equals(PostgresTable.ENGAGEMENTS.name()) ? d : d.notReplayable();
    }

    /** Rejected rows per raw source, for the run summary; a profile has none. */
    private Counter rejectedFrom(String source) {
      return rejectedBySource.computeIfAbsent(
          source,
          s ->
              Metrics.counter(
                  WriteToPostgres.class, MetricNames.postgresRejectedFrom(table.name(), s)));
    }

    /** The raw source a rejected row came from, for its dead letter's reason. */
    private static String fromRawSource(String source) {
      return source.isEmpty() ? "" : " (a " + source + " record)";
    }

    /** One line: which table, the SQLSTATE and the server's words, and what to do. */
    private String failure(SQLException e, int rows) {
      if (PostgresErrors.classify(e) == PostgresErrors.Kind.TRANSIENT) {
        return "Writing "
            + rows
            + " rows to "
            + table.name()
            + " at "
            + database.displayUrl()
            + " failed after "
            + MAX_ATTEMPTS
            + " attempts ("
            + PostgresErrors.describe(e)
            + "). Check that PostgreSQL is up and reachable";
      }
      return "PostgreSQL at "
          + database.displayUrl()
          + " refused writes to "
          + table.name()
          + " ("
          + PostgresErrors.describe(e)
          + "): "
          + PostgresErrors.whatToDo(e, table.name());
    }

    private Pending<T> find(T row) {
      for (Pending<T> p : batch) {
        if (p.value == row) {
          return p;
        }
      }
      throw new IllegalStateException("rejected row not in its batch");
    }

    @Teardown
    public void teardown() {
      if (writer != null) {
        writer.close();
      }
    }
  }
}
