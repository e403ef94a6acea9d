package dev.customer360.transforms.values;

import dev.customer360.transforms.values.CustomerProfile.Pane;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Computes a {@link CustomerProfile}: the mutable accumulator of {@code BuildCustomerProfiles} and
 * of a batch's customer windows. Besides the profile's sums it keeps the time of the latest call
 * and visit, which pick their ids (ties go to the larger id, so the result does not depend on
 * arrival order) and are not part of the profile.
 *
 * <p>Its fields are public for its schema coder ({@link #coder()}), which Beam derives from them.
 */
public final class ProfileAccumulator {
  private static final SerializableFunction<ProfileAccumulator, Row> ROW =
      Declared.toRow(ProfileAccumulator.class);

  public long engagements;
  public long engagementSeconds;
  public long calls;
  public long callSeconds;
  public long websiteVisits;
  public long websiteSeconds;
  public @Nullable Instant firstEngagement;
  public @Nullable Instant lastEngagement;
  public @Nullable String lastCallId;
  public @Nullable Instant lastCallAt;
  public @Nullable String lastSiteId;
  public @Nullable Instant lastSiteAt;

  /** An empty accumulator. */
  public ProfileAccumulator() {}

  /** Its schema coder. */
  public static Coder<ProfileAccumulator> coder() {
    return Declared.coder(ProfileAccumulator.class);
  }

  /**
   * Adds one engagement. A correction ({@link Engagement#isCorrection()}) was counted when its
   * event id was first emitted: it adds only the seconds it has over the delivery it replaces.
   */
  public ProfileAccumulator add(Engagement e) {
    if (e.isCorrection()) {
      return addSeconds(e.engagementType(), correctionSeconds(e));
    }
    Instant at = e.engagementDatetime();
    engagements++;
    engagementSeconds += e.engagementSeconds();
    if (EngagementTypes.SALES_CALL.equals(e.engagementType())) {
      calls++;
      callSeconds += e.engagementSeconds();
      if (isLater(at, e.engagementSourceId(), lastCallAt, lastCallId)) {
        lastCallAt = at;
        lastCallId = e.engagementSourceId();
      }
    } else if (EngagementTypes.WEBSITE.equals(e.engagementType())) {
      websiteVisits++;
      websiteSeconds += e.engagementSeconds();
      if (isLater(at, e.engagementSourceId(), lastSiteAt, lastSiteId)) {
        lastSiteAt = at;
        lastSiteId = e.engagementSourceId();
      }
    }
    firstEngagement = earlier(firstEngagement, at);
    lastEngagement = later(lastEngagement, at);
    return this;
  }

  private ProfileAccumulator addSeconds(String engagementType, long seconds) {
    engagementSeconds += seconds;
    if (EngagementTypes.SALES_CALL.equals(engagementType)) {
      callSeconds += seconds;
    } else if (EngagementTypes.WEBSITE.equals(engagementType)) {
      websiteSeconds += seconds;
    }
    return this;
  }

  /** Folds {@code other} into this one. */
  public ProfileAccumulator merge(ProfileAccumulator other) {
    engagements += other.engagements;
    engagementSeconds += other.engagementSeconds;
    calls += other.calls;
    callSeconds += other.callSeconds;
    websiteVisits += other.websiteVisits;
    websiteSeconds += other.websiteSeconds;
    firstEngagement = earlier(firstEngagement, other.firstEngagement);
    lastEngagement = later(lastEngagement, other.lastEngagement);
    if (other.lastCallAt != null
        && isLater(other.lastCallAt, other.lastCallId, lastCallAt, lastCallId)) {
      lastCallAt = other.lastCallAt;
      lastCallId = other.lastCallId;
    }
    if (other.lastSiteAt != null
        && isLater(other.lastSiteAt, other.lastSiteId, lastSiteAt, lastSiteId)) {
      lastSiteAt = other.lastSiteAt;
      lastSiteId = other.lastSiteId;
    }
    return this;
  }

  /**
   * The seconds a correction adds: what it has over the delivery it replaces (never negative, as
   * only a longer delivery is emitted as a correction).
   */
  static long correctionSeconds(Engagement correction) {
    return correction.engagementSeconds() - correction.replacedSeconds();
  }

  /** The earlier of two times, either possibly absent; on a tie, {@code current}. */
  static @Nullable Instant earlier(@Nullable Instant current, @Nullable Instant candidate) {
    return candidate != null && (current == null || candidate.isBefore(current))
        ? candidate
        : current;
  }

  /** The later of two times, either possibly absent; on a tie, {@code current}. */
  static @Nullable Instant later(@Nullable Instant current, @Nullable Instant candidate) {
    return candidate != null && (current == null || candidate.isAfter(current))
        ? candidate
        : current;
  }

  /**
   * Whether the call or visit {@code id} at {@code at} is later than the current latest one (none
   * yet: it is); at the same time the larger id is, so the pick does not depend on arrival order.
   */
  static boolean isLater(
      Instant at, String id, @Nullable Instant currentAt, @Nullable String currentId) {
    if (currentAt == null || currentId == null) {
      return true;
    }
    int byTime = at.compareTo(currentAt);
    return byTime > 0 || (byTime == 0 && id.compareTo(currentId) > 0);
  }

  /** Equal when every field is (so that runners can compare a coded accumulator with its copy). */
  @Override
  public boolean equals(Object o) {
    return o instanceof ProfileAccumulator
        && ROW.apply(this).getValues().equals(ROW.apply((ProfileAccumulator) o).getValues());
  }

  @Override
  public int hashCode() {
    return ROW.apply(this).getValues().hashCode();
  }

  /** The profile of the customer's window so far, from the given firing. */
  public CustomerProfile finish(
      String userId, Instant windowStart, Instant windowEnd, Pane pane, boolean isFinal) {
    return new CustomerProfile(
        userId,
        windowStart,
        windowEnd,
        engagements,
        engagementSeconds,
        calls,
        callSeconds,
        websiteVisits,
        websiteSeconds,
        firstEngagement,
        lastEngagement,
        lastCallId,
        lastSiteId,
        pane.name(),
        isFinal);
  }
}
