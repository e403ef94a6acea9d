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
import java.util.Base64;
import java.util.List;
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
  private final String sql;
  private final PostgresBatchWriter.Binder<T> binder;
  private final SerializableFunction<T, String> describe;
  private final SerializableFunction<T, String> rawSource;

  private PostgresTable(
      String name,
      String sql,
      PostgresBatchWriter.Binder<T> binder,
      SerializableFunction<T, String> describe) {
    this(name, sql, binder, describe, value -> "");
  }

  private PostgresTable(
      String name,
      String sql,
      PostgresBatchWriter.Binder<T> binder,
      SerializableFunction<T, String> describe,
      SerializableFunction<T, String> rawSource) {
    this.name = name;
    this.sql = sql;
    this.binder = binder;
    this.describe = describe;
    this.rawSource = rawSource;
  }

  /**
   * Engagements: one row per event_id holding its longest delivery (the keep-rule of dedup), so a
   * stream's correction raises the seconds and a replay changes nothing.
   */
  public static final PostgresTable<Engagement> ENGAGEMENTS =
      new PostgresTable<>(
          "customer_engagements",
          "insert into customer_engagements (event_id, user_id, engagement_datetime,"
              + " engagement_type, engagement_source_id, engagement_seconds)"
              + " values (?, ?, ?, ?, ?, ?) on conflict (event_id) do update set"
              + " engagement_seconds = excluded.engagement_seconds"
              + " where excluded.engagement_seconds > customer_engagements.engagement_seconds",
          (s, e) -> {
            s.setString(1, e.eventId());
            s.setString(2, text(e.userId()));
            s.setObject(3, timestamp(e.engagementDatetime()));
            s.setString(4, text(e.engagementType()));
            s.setString(5, text(e.engagementSourceId()));
            s.setInt(6, e.engagementSeconds());
          },
          JsonLines::engagement,
          Engagement::source);

  /**
   * Profiles: upsert per customer and window. Panes accumulate, so a newer firing has at least as
   * many engagements and seconds (a correction adds seconds only); the row changes only when a
   * firing adds either or finalizes it, so replaying the same input leaves the row as it was.
   */
  public static final PostgresTable<CustomerProfile> PROFILES =
      new PostgresTable<>(
          "customer_profiles",
          "insert into customer_profiles (user_id, window_start, window_end, engagements,"
              + " engagement_seconds, calls, call_seconds, website_visits, website_seconds,"
              + " first_engagement, last_engagement, last_call_id, last_site_id, pane, is_final)"
              + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
              + " on conflict (user_id, window_start) do update set"
              + " window_end = excluded.window_end, engagements = excluded.engagements,"
              + " engagement_seconds = excluded.engagement_seconds, calls = excluded.calls,"
              + " call_seconds = excluded.call_seconds, website_visits = excluded.website_visits,"
              + " website_seconds = excluded.website_seconds,"
              + " first_engagement = excluded.first_engagement,"
              + " last_engagement = excluded.last_engagement,"
              + " last_call_id = excluded.last_call_id, last_site_id = excluded.last_site_id,"
              + " pane = excluded.pane, is_final = excluded.is_final, updated_at = now()"
              + " where excluded.engagements > customer_profiles.engagements"
              + " or excluded.engagement_seconds > customer_profiles.engagement_seconds"
              + " or (excluded.engagements = customer_profiles.engagements"
              + " and excluded.engagement_seconds = customer_profiles.engagement_seconds"
              + " and excluded.is_final and not customer_profiles.is_final)",
          (s, p) -> {
            s.setString(1, text(p.userId()));
            s.setObject(2, timestamp(p.windowStart()));
            s.setObject(3, timestamp(p.windowEnd()));
            s.setLong(4, p.engagements());
            s.setLong(5, p.engagementSeconds());
            s.setLong(6, p.calls());
            s.setLong(7, p.callSeconds());
            s.setLong(8, p.websiteVisits());
            s.setLong(9, p.websiteSeconds());
            setTimestampOrNull(s, 10, p.firstEngagement());
            setTimestampOrNull(s, 11, p.lastEngagement());
            s.setString(12, text(p.lastCallId()));
            s.setString(13, text(p.lastSiteId()));
            s.setString(14, p.pane().name());
            s.setBoolean(15, p.isFinal());
          },
          JsonLines::profile);

  /**
   * Dead letters: keyed by {@link DeadLetter#id()} (a hash of source, error and the whole payload),
   * so a re-run adds no copies and two different records never share a row. PostgreSQL text cannot
   * hold NUL, so a payload with NUL is stored as base64 of its UTF-8 ({@code payload_encoding}).
   */
  public static final PostgresTable<DeadLetter> DEAD_LETTERS =
      new PostgresTable<>(
          "dead_letters",
          "insert into dead_letters (id, source, error, payload, payload_encoding, replayable,"
              + " failed_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing",
          (s, d) -> {
            boolean base64 = d.payload().indexOf('\u0000') >= 0;
            s.setString(1, d.id());
            s.setString(2, text(d.source()));
            s.setString(3, text(d.error()));
            s.setString(
                4,
                base64
                    ? Base64.getEncoder()
                        .encodeToString(d.payload().getBytes(StandardCharsets.UTF_8))
                    : d.payload());
            s.setString(5, base64 ? "base64" : "text");
            s.setBoolean(6, d.replayable());
            s.setObject(7, timestamp(d.failedAt()));
          },
          JsonLines::deadLetter);

  /** Conflicting deliveries: one row per event id and dropped value; a re-run adds nothing. */
  public static final PostgresTable<EngagementConflict> CONFLICTS =
      declared(
          "engagement_conflicts",
          EngagementConflict.class,
          "on conflict (event_id, dropped_seconds) do nothing");

  /**
   * The table of a type declared by a Beam schema: its columns are the schema's fields, in order,
   * and {@code onConflict} makes the insert idempotent.
   */
  static <T> PostgresTable<T> declared(String name, Class<T> type, String onConflict) {
    Schema schema = Declared.schema(type);
    SerializableFunction<T, Row> toRow = Declared.toRow(type);
    String columns =
        schema.getFields().stream().map(Schema.Field::getName).collect(Collectors.joining(", "));
    String marks = schema.getFields().stream().map(f -> "?").collect(Collectors.joining(", "));
    return new PostgresTable<>(
        name,
        "insert into " + name + " (" + columns + ") values (" + marks + ") " + onConflict,
        (s, value) -> bindRow(s, toRow.apply(value)),
        value -> JsonLines.row(toRow.apply(value)));
  }

  private static void bindRow(PreparedStatement s, Row row) throws SQLException {
    List<Schema.Field> fields = row.getSchema().getFields();
    for (int i = 0; i < fields.size(); i++) {
      Object value = row.getValue(i);
      switch (fields.get(i).getType().getTypeName()) {
        case DATETIME:
          setTimestampOrNull(s, i + 1, (ReadableInstant) value);
          break;
        case STRING:
          s.setString(i + 1, text((String) value));
          break;
        default:
          s.setObject(i + 1, value);
      }
    }
  }

  public String name() {
    return name;
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
