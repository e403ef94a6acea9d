package dev.customer360.transforms.values;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.joda.time.Instant;

/**
 * One customer engagement event, the record every sink carries (see DESIGN.md "Unified engagement
 * event"). {@link #eventId()} is derived from the identifying fields, so the same engagement
 * re-delivered any number of times always has the same id: it is the dedup key and the idempotency
 * key of every sink.
 */
@DefaultCoder(EngagementCoder.class)
public final class Engagement implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String userId;
  private final Instant engagementDatetime;
  private final String engagementType;
  private final String engagementSourceId;
  private final int engagementSeconds;
  private final String eventId;

  private Engagement(
      String userId,
      Instant engagementDatetime,
      String engagementType,
      String engagementSourceId,
      int engagementSeconds,
      String eventId) {
    this.userId = userId;
    this.engagementDatetime = engagementDatetime;
    this.engagementType = engagementType;
    this.engagementSourceId = engagementSourceId;
    this.engagementSeconds = engagementSeconds;
    this.eventId = eventId;
  }

  /** A new engagement; its event id is computed from type, user, source id and time. */
  public static Engagement of(
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
        eventIdOf(engagementType, userId, engagementSourceId, engagementDatetime));
  }

  /** Rebuilds a decoded engagement without hashing again (used by {@link EngagementCoder}). */
  static Engagement decoded(
      String userId,
      Instant engagementDatetime,
      String engagementType,
      String engagementSourceId,
      int engagementSeconds,
      String eventId) {
    return new Engagement(
        userId, engagementDatetime, engagementType, engagementSourceId, engagementSeconds, eventId);
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
        + '}';
  }
}
