package dev.customer360.pipeline;

import dev.customer360.io.postgres.PostgresTable;
import dev.customer360.transforms.MetricNames;
import dev.customer360.transforms.values.DeadLetter.Stage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The end-of-run table: what came in per source, what went out, what was dropped and why. */
final class RunSummary {
  private final Map<String, Long> counters;

  private RunSummary(Map<String, Long> counters) {
    this.counters = counters;
  }

  /** Reads the job's counters (committed where the runner has them, else attempted). */
  static RunSummary of(PipelineResult result) {
    return of(result, false);
  }

  /** Reads the job's counters; {@code attempted} for a running job's progress. */
  static RunSummary of(PipelineResult result, boolean attempted) {
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> counter : metrics.getCounters()) {
      long value;
      try {
        value = attempted ? counter.getAttempted() : counter.getCommitted();
      } catch (UnsupportedOperationException e) {
        value = counter.getAttempted();
      }
      counters.merge(counter.getName().getName(), value, Long::sum);
    }
    return new RunSummary(counters);
  }

  /** A summary of the given counter values (tests). */
  static RunSummary of(Map<String, Long> counters) {
    return new RunSummary(new TreeMap<>(counters));
  }

  long get(String counter) {
    return counters.getOrDefault(counter, 0L);
  }

  /** One line for a running job: what came in, what went out, how fast. */
  String progressLine(List<String> sources, double seconds) {
    StringBuilder s = new StringBuilder("progress:");
    long read = 0;
    for (String source : sources) {
      long r = get(MetricNames.recordsRead(source));
      read += r;
      s.append(String.format(" %s %,d |", source, r));
    }
    long dead = 0;
    for (String source : sources) {
      dead += get(MetricNames.deadLettered(source));
    }
    s.append(
        String.format(
            " engagements out %,d | dead-lettered %,d | duplicates %,d | %,.0f records/s",
            get(MetricNames.ENGAGEMENTS_OUT),
            dead,
            get(MetricNames.DUPLICATES_DROPPED),
            seconds > 0 ? read / seconds : 0.0));
    return s.toString();
  }

  /** Per source: records read, standardized and dead-lettered before standardizing. */
  private String sourceTable(List<String> sources) {
    StringBuilder s = new StringBuilder();
    // As wide as the longest source name, so an added source's row stays in its columns.
    int width = sources.stream().mapToInt(String::length).max().orElse(0);
    String row = "%-" + Math.max(14, width) + "s %12d %14d %14d%n";
    s.append(
        String.format(
            "%n%-" + Math.max(14, width) + "s %12s %14s %14s%n",
            "source",
            "records read",
            "standardized",
            "dead-lettered"));
    long read = 0;
    long standardized = 0;
    long dead = 0;
    for (String source : sources) {
      long r = get(MetricNames.recordsRead(source));
      long ok = get(MetricNames.standardized(source));
      long d = deadLetteredBeforeStandardized(source);
      read += r;
      standardized += ok;
      dead += d;
      s.append(String.format(row, source, r, ok, d));
    }
    s.append(String.format(row, "total", read, standardized, dead));
    return s.toString();
  }

  String render(List<String> sources, java.util.Set<Customer360Options.Sink> sinks) {
    StringBuilder s = new StringBuilder(sourceTable(sources));
    s.append(String.format("%nduplicates dropped   %d%n", get(MetricNames.DUPLICATES_DROPPED)));
    s.append(
        String.format(
            "conflicting dups     %d (same event_id, other engagement_seconds; the longest kept)%n",
            get(MetricNames.CONFLICTING_DUPLICATES)));
    if (get(MetricNames.ENGAGEMENT_CORRECTIONS) > 0) {
      s.append(
          String.format(
              "corrections          %d (a longer delivery emitted again)%n",
              get(MetricNames.ENGAGEMENT_CORRECTIONS)));
    }
    if (get(MetricNames.FUTURE_EVENTS) > 0) {
      s.append(
          String.format(
              "future (dead-lettered) %d%s%n",
              get(MetricNames.FUTURE_EVENTS),
              bySource(sources, source -> MetricNames.deadLettered(source, Stage.FUTURE))));
    }
    if (get(MetricNames.LATE_EVENTS) > 0) {
      s.append(
          String.format(
              "late (dead-lettered) %d%s%n",
              get(MetricNames.LATE_EVENTS),
              bySource(sources, source -> MetricNames.deadLettered(source, Stage.LATE))));
    }
    boolean replay = get(MetricNames.REPLAY_READ) > 0;
    if (sinks.contains(Customer360Options.Sink.files)) {
      s.append(String.format("engagements written  %d%n", get(MetricNames.ENGAGEMENTS_OUT)));
      if (!replay) {
        s.append(String.format("profiles written     %d%n", get(MetricNames.PROFILES_OUT)));
      }
    }
    if (replay) {
      s.append(
          String.format(
              "profiles             none (a replay writes no profiles; rebuild them with a run"
                  + " over the raw records)%n"));
      s.append(replayLine(sources, sinks)).append(String.format("%n"));
    }
    if (sinks.contains(Customer360Options.Sink.postgres)) {
      s.append(
          String.format(
              "postgres upserts     engagements %d, profiles %d, dead letters %d; rejected %d%s%n",
              get(MetricNames.postgresWritten(PostgresTable.ENGAGEMENTS.name())),
              get(MetricNames.postgresWritten(PostgresTable.PROFILES.name())),
              get(MetricNames.postgresWritten(PostgresTable.DEAD_LETTERS.name())),
              get(MetricNames.postgresRejected(PostgresTable.ENGAGEMENTS.name()))
                  + get(MetricNames.postgresRejected(PostgresTable.PROFILES.name()))
                  + get(MetricNames.postgresRejected(PostgresTable.DEAD_LETTERS.name())),
              bySource(
                  sources,
                  source ->
                      MetricNames.postgresRejectedFrom(PostgresTable.ENGAGEMENTS.name(), source))));
    }
    return s.toString();
  }

  /**
   * A source's dead letters from before it standardized a record (read, parse, rules, SQL,
   * validation): late, future and sink-refused engagements were standardized first.
   */
  private long deadLetteredBeforeStandardized(String source) {
    return get(MetricNames.deadLettered(source))
        - get(MetricNames.deadLettered(source, Stage.FUTURE))
        - get(MetricNames.deadLettered(source, Stage.LATE))
        - get(MetricNames.deadLettered(source, Stage.SINK));
  }

  /** {@code " (call_log 2, clickstream 1)"}: a counter per raw source, the non-zero ones. */
  private String bySource(List<String> sources, java.util.function.Function<String, String> name) {
    String counts =
        sources.stream()
            .filter(source -> get(name.apply(source)) > 0)
            .map(source -> source + " " + get(name.apply(source)))
            .collect(java.util.stream.Collectors.joining(", "));
    return counts.isEmpty() ? "" : " (" + counts + ")";
  }

  /**
   * {@code replayed N: recovered R, still failing F (by stage), already present D}: recovered are
   * the replayed records that became engagements (into dedup, so their duplicates too); already
   * present are engagements PostgreSQL held before (files and topics are at-least-once across
   * replays, so they are not counted there).
   */
  String replayLine(List<String> sources, java.util.Set<Customer360Options.Sink> sinks) {
    long recovered = get(MetricNames.REPLAYED_ENGAGEMENTS);
    for (String source : sources) {
      recovered += get(MetricNames.standardized(source));
    }
    recovered -= get(MetricNames.LATE_EVENTS) + get(MetricNames.FUTURE_EVENTS);
    Map<String, Long> failing = new TreeMap<>();
    String prefix = MetricNames.replayStillFailing("");
    counters.forEach(
        (name, value) -> {
          if (name.startsWith(prefix) && value > 0) {
            failing.put(name.substring(prefix.length()), value);
          }
        });
    long stillFailing = failing.values().stream().mapToLong(Long::longValue).sum();
    String byStage =
        failing.entrySet().stream()
            .map(f -> f.getKey() + " " + f.getValue())
            .collect(java.util.stream.Collectors.joining(", "));
    String present =
        sinks.contains(Customer360Options.Sink.postgres)
            ? String.valueOf(get(MetricNames.postgresUnchanged(PostgresTable.ENGAGEMENTS.name())))
            : "not known (files and Kafka are at-least-once across replays)";
    return String.format(
        "replayed %d: recovered %d, still failing %d%s, already present %s",
        get(MetricNames.REPLAY_READ),
        recovered,
        stillFailing,
        byStage.isEmpty() ? "" : " (" + byStage + ")",
        present);
  }

  /** Said after a bounded run whose totals satisfy every identity of {@link #unreconciled}. */
  static final String RECONCILED =
      "totals reconcile: read = standardized + filtered by SQL + dead-lettered per source;"
          + " standardized = distinct + duplicates + conflicting duplicates + late + future; each"
          + " sink took every distinct engagement";

  /**
   * The identities a bounded run's totals must satisfy; one line per identity that does not hold
   * (empty when the totals reconcile):
   *
   * <ul>
   *   <li>per source: read = standardized + filtered by its SQL + dead-lettered;
   *   <li>overall: standardized = distinct + exact duplicates + conflicting duplicates + late +
   *       future;
   *   <li>per sink: distinct + corrections = written (+ rejected, for PostgreSQL).
   * </ul>
   */
  List<String> unreconciled(List<String> sources, java.util.Set<Customer360Options.Sink> sinks) {
    List<String> problems = new java.util.ArrayList<>();
    long standardized = 0;
    for (String source : sources) {
      long read = get(MetricNames.recordsRead(source));
      long ok = get(MetricNames.standardized(source));
      long dead = deadLetteredBeforeStandardized(source);
      long filtered =
          get(MetricNames.rowsToSql(source))
              - get(MetricNames.sqlErrors(source))
              - get(MetricNames.rowsFromSql(source));
      standardized += ok;
      if (filtered < 0 || read != ok + filtered + dead) {
        problems.add(
            String.format(
                "%s: read %d != standardized %d + filtered by its SQL %d + dead-lettered %d",
                source, read, ok, filtered, dead));
      }
    }
    long distinct = get(MetricNames.ENGAGEMENTS_DISTINCT);
    long duplicates = get(MetricNames.DUPLICATES_DROPPED);
    long conflicting = get(MetricNames.CONFLICTING_DUPLICATES);
    long late = get(MetricNames.LATE_EVENTS);
    long future = get(MetricNames.FUTURE_EVENTS);
    standardized += get(MetricNames.REPLAYED_ENGAGEMENTS); // a replay's late, future, sink rejects
    if (standardized != distinct + duplicates + conflicting + late + future) {
      problems.add(
          String.format(
              "standardized %d != distinct %d + duplicates %d + conflicting duplicates %d + late %d"
                  + " + future %d",
              standardized, distinct, duplicates, conflicting, late, future));
    }
    // A stream emits an engagement again when a longer delivery corrects it.
    long emitted = distinct + get(MetricNames.ENGAGEMENT_CORRECTIONS);
    if (sinks.contains(Customer360Options.Sink.files)
        && get(MetricNames.ENGAGEMENTS_OUT) != emitted) {
      problems.add(
          String.format(
              "files: engagements written %d != emitted %d",
              get(MetricNames.ENGAGEMENTS_OUT), emitted));
    }
    long pgWritten = get(MetricNames.postgresWritten(PostgresTable.ENGAGEMENTS.name()));
    long pgRejected = get(MetricNames.postgresRejected(PostgresTable.ENGAGEMENTS.name()));
    if (sinks.contains(Customer360Options.Sink.postgres) && pgWritten + pgRejected != emitted) {
      problems.add(
          String.format(
              "postgres: engagements written %d + rejected %d != emitted %d",
              pgWritten, pgRejected, emitted));
    }
    if (sinks.contains(Customer360Options.Sink.kafka)
        && get(MetricNames.KAFKA_ENGAGEMENTS_OUT) != emitted) {
      problems.add(
          String.format(
              "kafka: engagements written %d != emitted %d",
              get(MetricNames.KAFKA_ENGAGEMENTS_OUT), emitted));
    }
    return problems;
  }
}
