package dev.customer360.transforms;

import dev.customer360.transforms.values.DeadLetter;

/**
 * The names of the job's counters, in one place: the steps that count and the run summary that
 * reads them use these, so a renamed counter cannot leave a reader counting zero.
 */
public final class MetricNames {
  private MetricNames() {}

  public static final String DUPLICATES_DROPPED = "duplicates_dropped";
  public static final String CONFLICTING_DUPLICATES = "conflicting_duplicates";
  public static final String ENGAGEMENT_CORRECTIONS = "engagement_corrections";
  public static final String LATE_EVENTS = "late_events";
  public static final String FUTURE_EVENTS = "future_events";
  public static final String DEDUP_IDS_RELEASED = "dedup_ids_released";

  /** A distribution: event ids the stream's dedup state holds. */
  public static final String DEDUP_LIVE_IDS = "dedup_live_ids";

  public static final String REPEATED_FINAL_PROFILES = "repeated_final_profiles";
  public static final String ENGAGEMENTS_DISTINCT = "engagements_distinct";
  public static final String ENGAGEMENTS_OUT = "engagements_out";
  public static final String KAFKA_ENGAGEMENTS_OUT = "kafka_engagements_out";
  public static final String PROFILES_OUT = "profiles_out";

  /** A replay: the dead letters it read. */
  public static final String REPLAY_READ = "replay_read";

  /** A replay: late, future and rejected engagements sent back to dedup. */
  public static final String REPLAYED_ENGAGEMENTS = "replayed_engagements";

  /** A replay: dead letters it could not send back (not replayable, unknown source). */
  public static final String REPLAY_NOT_REPLAYED = "replay_not_replayed";

  /** A replay: its dead letters that failed again, per stage. */
  public static String replayStillFailing(String stage) {
    return "replay_still_failing_" + stage;
  }

  /** Raw records a source read. */
  public static String recordsRead(String source) {
    return source + "_records_read";
  }

  /** Rows a source's parse step passed to its SQL. */
  public static String rowsToSql(String source) {
    return source + "_rows_to_sql";
  }

  /** Rows a source's SQL gave back (the rest it filtered out). */
  public static String rowsFromSql(String source) {
    return source + "_rows_from_sql";
  }

  /** Records a source's SQL failed on. */
  public static String sqlErrors(String source) {
    return source + "_sql_errors";
  }

  /** Engagements a source standardized. */
  public static String standardized(String source) {
    return source + "_standardized";
  }

  /** Dead letters of a source (or of any other dead-letter {@code source}). */
  public static String deadLettered(String source) {
    return source + "_dead_lettered";
  }

  /**
   * Dead letters of a source at one stage, e.g. {@code call_log_dead_lettered_late}: late and
   * future dead letters were standardized first, so a source's totals count them apart.
   */
  public static String deadLettered(String source, DeadLetter.Stage stage) {
    return deadLettered(source) + "_" + stage.column();
  }

  /** Rows a PostgreSQL table refused that came from one raw source. */
  public static String postgresRejectedFrom(String table, String rawSource) {
    return postgresRejected(table) + "_from_" + rawSource;
  }

  /** Rows a PostgreSQL table took. */
  public static String postgresWritten(String table) {
    return "postgres_" + table + "_written";
  }

  /** Rows a PostgreSQL table took that changed nothing: already present (part of written). */
  public static String postgresUnchanged(String table) {
    return "postgres_" + table + "_unchanged";
  }

  /** Rows a PostgreSQL table refused (dead-lettered). */
  public static String postgresRejected(String table) {
    return "postgres_" + table + "_rejected";
  }
}
