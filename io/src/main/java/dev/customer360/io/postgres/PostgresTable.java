package dev.customer360.io.postgres;

import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Declared;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementConflict;
import dev.customer360.transforms.values.JsonLines;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * One table of {@code src/ddl/postgres.sql}: its idempotent write statement, how a value binds to
 * it, and how a rejected value is shown in its dead letter.
 */
public final class PostgresTable<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final List<String> declared;
  private final List<String> columns;
  private final String sql;
  private final PostgresBatchWriter.Binder<T> binder;
  private final SerializableFunction<T, String> describe;
  private final SerializableFunction<T, String> rawSource;

  private PostgresTable(
      String name,
      List<String> declared,
      List<String> columns,
      String onConflict,
      PostgresBatchWriter.Binder<T> binder,
      SerializableFunction<T, String> describe,
      SerializableFunction<T, String> rawSource) {
    this.name = name;
    this.declared = List.copyOf(declared);
    this.columns = List.copyOf(columns);
    this.sql =
        "insert into "
            + name
            + " ("
            + String.join(", ", columns)
            + ") values ("
            + columns.stream().map(c -> "?").collect(Collectors.joining(", "))
            + ") "
            + onConflict;
    this.binder = binder;
    this.describe = describe;
    this.rawSource = rawSource;
  }

  /**
   * Engagements: one row per event_id holding its longest delivery (the keep-rule of dedup), so a
   * stream's correction raises the seconds and a replay changes nothing.
   */
  public static final PostgresTable<Engagement> ENGAGEMENTS =
      declared(
          "customer_engagements",
          Engagement.class,
          Map.of(),
          "on conflict (event_id) do update set"
              + " engagement_seconds = excluded.engagement_seconds"
              + " where excluded.engagement_seconds > customer_engagements.engagement_seconds",
          JsonLines::engagement,
          Engagement::source);

  /** The profile's field {@code final} is the column {@code is_final}. */
  private static final Map<String, String> PROFILE_COLUMNS = Map.of("final", "is_final");

  /**
   * Profiles: upsert per customer and window. Panes accumulate, so a newer firing has at least as
   * many engagements and seconds (a correction adds seconds only); the row changes only when a
   * firing adds either or finalizes it, so replaying the same input leaves the row as it was.
   */
  public static final PostgresTable<CustomerProfile> PROFILES =
      declared(
          "customer_profiles",
          CustomerProfile.class,
          PROFILE_COLUMNS,
          "on conflict (user_id, window_start) do update set "
              + updateAllBut(
                  columnsOf(CustomerProfile.class, PROFILE_COLUMNS), "user_id", "window_start")
              + ", updated_at = now()"
              + " where excluded.engagements > customer_profiles.engagements"
              + " or excluded.engagement_seconds > customer_profiles.engagement_seconds"
              + " or (excluded.engagements = customer_profiles.engagements"
              + " and excluded.engagement_seconds = customer_profiles.engagement_seconds"
              + " and excluded.is_final and not customer_profiles.is_final)",
          JsonLines::profile,
          value -> "");

  /**
   * Dead letters: keyed by {@link DeadLetter#id()} (a hash of source, error and the whole payload),
   * so a re-run adds no copies and two different records never share a row; a replay that fails
   * again for the same reason raises the row's attempts. PostgreSQL text cannot hold NUL, so a
   * payload with NUL is stored as base64 of its UTF-8 ({@code payload_encoding}).
   */
  public static final PostgresTable<DeadLetter> DEAD_LETTERS = deadLetters();

  private static PostgresTable<DeadLetter> deadLetters() {
    SerializableFunction<DeadLetter, Row> toRow = Declared.toRow(DeadLetter.class);
    List<String> declared = columnsOf(DeadLetter.class, Map.of());
    List<String> columns = new ArrayList<>();
    columns.add("id");
    columns.addAll(declared);
    columns.add("payload_encoding");
    int encoding = columns.size();
    return new PostgresTable<>(
        "dead_letters",
        declared,
        columns,
        // The same record failing again for the same reason on a replay: one row, more attempts.
        "on conflict (id) do update set attempts = excluded.attempts, failed_at = excluded.failed_at"
            + " where excluded.attempts > dead_letters.attempts",
        (s, d) -> {
          Row row = toRow.apply(d);
          boolean base64 = d.payload().indexOf('\u0000') >= 0;
          if (base64) {
            String encoded =
                Base64.getEncoder().encodeToString(d.payload().getBytes(StandardCharsets.UTF_8));
            row = Row.fromRow(row).withFieldValue("payload", encoded).build();
          }
          s.setString(1, d.id());
          bindRow(s, 2, row);
          s.setString(encoding, base64 ? "base64" : "text");
        },
        JsonLines::deadLetter,
        value -> "");
  }

  /** Conflicting deliveries: one row per event id and dropped value; a re-run adds nothing. */
  public static final PostgresTable<EngagementConflict> CONFLICTS =
      declared(
          "engagement_conflicts",
          EngagementConflict.class,
          Map.of(),
          "on conflict (event_id, dropped_seconds) do nothing",
          JsonLines::conflict,
          value -> "");

  /**
   * The table of a type declared by a Beam schema: its columns are the schema's fields, in order
   * (named as in {@code renamed} where SQL needs another name), and {@code onConflict} makes the
   * insert idempotent.
   */
  static <T> PostgresTable<T> declared(
      String name,
      Class<T> type,
      Map<String, String> renamed,
      String onConflict,
      SerializableFunction<T, String> describe,
      SerializableFunction<T, String> rawSource) {
    SerializableFunction<T, Row> toRow = Declared.toRow(type);
    List<String> columns = columnsOf(type, renamed);
    return new PostgresTable<>(
        name,
        columns,
        columns,
        onConflict,
        (s, value) -> bindRow(s, 1, toRow.apply(value)),
        describe,
        rawSource);
  }

  /** The columns of a declared type's fields, in order. */
  static List<String> columnsOf(Class<?> type, Map<String, String> renamed) {
    return Declared.schema(type).getFields().stream()
        .map(f -> renamed.getOrDefault(f.getName(), f.getName()))
        .collect(Collectors.toList());
  }

  /** {@code c = excluded.c} for every column but the key: an upsert's new values. */
  private static String updateAllBut(List<String> columns, String... key) {
    List<String> keys = List.of(key);
    return columns.stream()
        .filter(c -> !keys.contains(c))
        .map(c -> c + " = excluded." + c)
        .collect(Collectors.joining(", "));
  }

  /** Binds the row's fields to the parameters from {@code first} on, in order. */
  private static void bindRow(PreparedStatement s, int first, Row row) throws SQLException {
    List<Schema.Field> fields = row.getSchema().getFields();
    for (int i = 0; i < fields.size(); i++) {
      Object value = row.getValue(i);
      int parameter = first + i;
      switch (fields.get(i).getType().getTypeName()) {
        case DATETIME:
          setTimestampOrNull(s, parameter, (ReadableInstant) value);
          break;
        case STRING:
          s.setString(parameter, text((String) value));
          break;
        default:
          s.setObject(parameter, value);
      }
    }
  }

  public String name() {
    return name;
  }

  /** The columns of its type's declared fields, in order. */
  List<String> declaredColumns() {
    return declared;
  }

  /** The columns it writes, in the order of {@link #sql()}. */
  public List<String> columns() {
    return columns;
  }

  public String sql() {
    return sql;
  }

  public PostgresBatchWriter.Binder<T> binder() {
    return binder;
  }

  /** The value as its dead letter's payload. */
  public String describe(T value) {
    return describe.apply(value);
  }

  /** The raw source the value came from, or "" when it has none (profiles) or it is not known. */
  public String rawSource(T value) {
    return rawSource.apply(value);
  }

  /** PostgreSQL text cannot hold NUL characters; errors quoting a record sometimes do. */
  private static String text(String s) {
    return s == null || s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
  }

  private static OffsetDateTime timestamp(ReadableInstant t) {
    return OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(t.getMillis()), ZoneOffset.UTC);
  }

  private static void setTimestampOrNull(PreparedStatement s, int i, ReadableInstant t)
      throws SQLException {
    if (t == null) {
      s.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      s.setObject(i, timestamp(t));
    }
  }
}
