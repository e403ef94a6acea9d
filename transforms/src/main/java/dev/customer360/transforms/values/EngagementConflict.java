package dev.customer360.transforms.values;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCaseFormat;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.CaseFormat;
import org.joda.time.Instant;

/**
 * Two deliveries of one engagement that disagree: same {@code event_id} (so the same customer,
 * type, source id and time), different {@code engagement_seconds}. The longer one is kept
 * everywhere; each other value seen is one conflict, so that a data engineer can find the producer
 * that sends them.
 *
 * <p>Declared once: its Beam schema (snake_case names, in field order) gives the coder, the JSON
 * line, the Parquet record and the PostgreSQL columns of {@code engagement_conflicts}.
 */
@DefaultSchema(JavaFieldSchema.class)
@SchemaCaseFormat(CaseFormat.LOWER_UNDERSCORE)
public final class EngagementConflict implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String eventId;
  public final String userId;
  public final Instant engagementDatetime;
  public final String engagementType;
  public final String engagementSourceId;

  /** The seconds of the delivery every sink keeps (the longest). */
  public final int keptSeconds;

  /** The seconds of a delivery that was not kept. */
  public final int droppedSeconds;

  @SchemaCreate
  public EngagementConflict(
      String eventId,
      String userId,
      Instant engagementDatetime,
      String engagementType,
      String engagementSourceId,
      int keptSeconds,
      int droppedSeconds) {
    this.eventId = eventId;
    this.userId = userId;
    this.engagementDatetime = engagementDatetime;
    this.engagementType = engagementType;
    this.engagementSourceId = engagementSourceId;
    this.keptSeconds = keptSeconds;
    this.droppedSeconds = droppedSeconds;
  }

  /** The conflict between the kept engagement and a delivery of {@code droppedSeconds}. */
  public static EngagementConflict of(Engagement kept, int droppedSeconds) {
    return new EngagementConflict(
        kept.eventId(),
        kept.userId(),
        kept.engagementDatetime(),
        kept.engagementType(),
        kept.engagementSourceId(),
        kept.engagementSeconds(),
        droppedSeconds);
  }

  /** Its schema coder. */
  public static Coder<EngagementConflict> coder() {
    return Declared.coder(EngagementConflict.class);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EngagementConflict)) {
      return false;
    }
    EngagementConflict that = (EngagementConflict) o;
    return keptSeconds == that.keptSeconds
        && droppedSeconds == that.droppedSeconds
        && eventId.equals(that.eventId)
        && userId.equals(that.userId)
        && engagementDatetime.equals(that.engagementDatetime)
        && engagementType.equals(that.engagementType)
        && engagementSourceId.equals(that.engagementSourceId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, keptSeconds, droppedSeconds);
  }

  @Override
  public String toString() {
    return "EngagementConflict{event_id="
        + eventId
        + ", kept_seconds="
        + keptSeconds
        + ", dropped_seconds="
        + droppedSeconds
        + '}';
  }
}
