package dev.customer360.transforms.values;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.schemas.annotations.SchemaCaseFormat;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaIgnore;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.CaseFormat;
import org.joda.time.Instant;

/**
 * One customer engagement event, the record every sink carries. {@link #eventId()} is derived from
 * the identifying fields, so the same engagement re-delivered any number of times always has the
 * same id: it is the dedup key and the idempotency key of every sink.
 *
 * <p>Declared once: its fields (snake_case, in this order) are the columns every sink writes, in
 * JSON, Parquet and PostgreSQL ({@link Declared}). {@code replacedSeconds} and {@code source} are
 * {@code @SchemaIgnore}: carried through the job, never written. So they cross shuffles, and
 * because engagements cross every shuffle, {@link EngagementCoder} codes them by hand. Fields are
 * public for Beam to read them, and final.
 */
@SchemaCaseFormat(CaseFormat.LOWER_UNDERSCORE)
@DefaultCoder(EngagementCoder.class)
public final class Engagement implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String userId;
  public final Instant engagementDatetime;
  public final String engagementType;
  public final String engagementSourceId;
  public final int engagementSeconds;
  public final String eventId;

  /** The seconds of the delivery this one replaces, or {@link #NOT_A_CORRECTION}. */
  @SchemaIgnore public final int replacedSeconds;

  /**
   * The raw source it was standardized from ({@code call_log}), or "" when not known: provenance
   * for dead letters written after standardization (late, future), not part of the event id, of
   * equality or of any output record.
   */
  @SchemaIgnore public final String source;

  /** {@link #replacedSeconds()} of an engagement emitted for the first time. */
  public static final int NOT_A_CORRECTION = -1;

  private Engagement(
      String userId,
      Instant engagementDatetime,
      String engagementType,
      String engagementSourceId,
      int engagementSeconds,
      String eventId,
      int replacedSeconds,
      String source) {
    this.userId = userId;
    this.engagementDatetime = engagementDatetime;
    this.engagementType = engagementType;
    this.engagementSourceId = engagementSourceId;
    this.engagementSeconds = engagementSeconds;
    this.eventId = eventId;
    this.replacedSeconds = replacedSeconds;
    this.source = source;
  }

  /** A new engagement; its event id is computed from type, user, source id and time. */
  public static Engagement of(
      String userId,
      Instant engagementDatetime,
      String engagementType,
      String engagementSourceId,
      int engagementSeconds) {
    return from(
        "", userId, engagementDatetime, engagementType, engagementSourceId, engagementSeconds);
  }

  /** A new engagement standardized from the raw {@code source}. */
  public static Engagement from(
      String source,
      String userId,
      Instant engagementDatetime,
      String engagementType,
      String engagementSourceId,
      int engagementSeconds) {
    return new Engagement(
        userId,
        engagementDatetime,
        engagementType,
        engagementSourceId,
        engagementSeconds,
        eventIdOf(engagementType, userId, engagementSourceId, engagementDatetime),
        NOT_A_CORRECTION,
        source);
  }

  /** An engagement from its output columns: a first delivery from an unknown source. */
  @SchemaCreate
  static Engagement ofColumns(
      String userId,
      Instant engagementDatetime,
      String engagementType,
      String engagementSourceId,
      int engagementSeconds,
      String eventId) {
    return decoded(
        userId,
        engagementDatetime,
        engagementType,
        engagementSourceId,
        engagementSeconds,
        eventId,
        NOT_A_CORRECTION,
        "");
  }

  /** Rebuilds a decoded engagement without hashing again (used by {@link EngagementCoder}). */
  static Engagement decoded(
      String userId,
      Instant engagementDatetime,
      String engagementType,
      String engagementSourceId,
      int engagementSeconds,
      String eventId,
      int replacedSeconds,
      String source) {
    return new Engagement(
        userId,
        engagementDatetime,
        engagementType,
        engagementSourceId,
        engagementSeconds,
        eventId,
        replacedSeconds,
        source);
  }

  /** Another delivery of this engagement: the same event, {@code seconds} long. */
  public Engagement withSeconds(int seconds) {
    return copy(seconds, NOT_A_CORRECTION);
  }

  /**
   * This delivery as the correction of an engagement already emitted with {@code seconds}: a stream
   * emits an event id again when a longer delivery arrives (see {@code DeduplicateEngagements});
   * sinks keep the longest, profiles add only the difference.
   */
  public Engagement replacing(int seconds) {
    return copy(engagementSeconds, seconds);
  }

  private Engagement copy(int seconds, int replaced) {
    return new Engagement(
        userId,
        engagementDatetime,
        engagementType,
        engagementSourceId,
        seconds,
        eventId,
        replaced,
        source);
  }

  /** True if this replaces an earlier, shorter delivery of its event id. */
  public boolean isCorrection() {
    return replacedSeconds != NOT_A_CORRECTION;
  }

  /** The seconds of the delivery this one replaces, or {@link #NOT_A_CORRECTION}. */
  public int replacedSeconds() {
    return replacedSeconds;
  }

  /**
   * The deterministic id: the first 128 bits of SHA-256 over the identifying fields, separated by a
   * byte that cannot occur in them, in hex.
   */
  public static String eventIdOf(
      String engagementType, String userId, String engagementSourceId, Instant datetime) {
    return Ids.of(engagementType, userId, engagementSourceId, Long.toString(datetime.getMillis()));
  }

  public String userId() {
    return userId;
  }

  public Instant engagementDatetime() {
    return engagementDatetime;
  }

  public String engagementType() {
    return engagementType;
  }

  public String engagementSourceId() {
    return engagementSourceId;
  }

  public int engagementSeconds() {
    return engagementSeconds;
  }

  public String eventId() {
    return eventId;
  }

  /** The raw source it was standardized from, or "" when not known. */
  public String source() {
    return source;
  }

  /** The source a dead letter of this engagement names: its raw source, else its type. */
  public String deadLetterSource() {
    return source.isEmpty() ? engagementType : source;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Engagement)) {
      return false;
    }
    Engagement that = (Engagement) o;
    return engagementSeconds == that.engagementSeconds
        && replacedSeconds == that.replacedSeconds
        && userId.equals(that.userId)
        && engagementDatetime.equals(that.engagementDatetime)
        && engagementType.equals(that.engagementType)
        && engagementSourceId.equals(that.engagementSourceId)
        && eventId.equals(that.eventId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, engagementSeconds);
  }

  @Override
  public String toString() {
    return "Engagement{user_id="
        + userId
        + ", engagement_datetime="
        + engagementDatetime
        + ", engagement_type="
        + engagementType
        + ", engagement_source_id="
        + engagementSourceId
        + ", engagement_seconds="
        + engagementSeconds
        + ", event_id="
        + eventId
        + (isCorrection() ? ", replaces_seconds=" + replacedSeconds : "")
        + '}';
  }
}
