package dev.customer360.transforms.values;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.joda.time.Instant;

/**
 * The "360": one customer's engagements in one window. Also the accumulator of {@link
 * dev.customer360.transforms.BuildCustomerProfiles}: the key fields ({@code userId}, window, pane)
 * are set only on the finished profile.
 *
 * <p>Fields: {@code engagements}/{@code engagementSeconds} over every type; {@code calls}/{@code
 * callSeconds} for sales calls; {@code websiteVisits}/{@code websiteSeconds} for website visits;
 * {@code firstEngagement}/{@code lastEngagement} the earliest and latest engagement time; {@code
 * lastCallId}/{@code lastSiteId} the source id of the latest call and visit (ties broken by the
 * larger id, so the result does not depend on arrival order).
 */
@DefaultCoder(CustomerProfileCoder.class)
public final class CustomerProfile implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Which firing of its window a profile comes from. */
  public enum Pane {
    EARLY,
    ON_TIME,
    LATE,
    UNKNOWN
  }

  String userId;
  Instant windowStart;
  Instant windowEnd;
  Pane pane = Pane.UNKNOWN;
  boolean isFinal;
  long engagements;
  long engagementSeconds;
  long calls;
  long callSeconds;
  long websiteVisits;
  long websiteSeconds;
  Instant firstEngagement;
  Instant lastEngagement;
  String lastCallId;
  Instant lastCallAt;
  String lastSiteId;
  Instant lastSiteAt;

  /** An empty accumulator. */
  public CustomerProfile() {}

  /**
   * Adds one engagement. A correction ({@link Engagement#isCorrection()}) was counted when its
   * event id was first emitted: it adds only the seconds it has over the delivery it replaces.
   */
  public CustomerProfile add(Engagement e) {
    if (e.isCorrection()) {
      return addSeconds(e.engagementType(), e.engagementSeconds() - e.replacedSeconds());
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
    firstEngagement =
        firstEngagement == null || at.isBefore(firstEngagement) ? at : firstEngagement;
    lastEngagement = lastEngagement == null || at.isAfter(lastEngagement) ? at : lastEngagement;
    return this;
  }

  private CustomerProfile addSeconds(String engagementType, long seconds) {
    engagementSeconds += seconds;
    if (EngagementTypes.SALES_CALL.equals(engagementType)) {
      callSeconds += seconds;
    } else if (EngagementTypes.WEBSITE.equals(engagementType)) {
      websiteSeconds += seconds;
    }
    return this;
  }

  /** Folds {@code other} into this one. */
  public CustomerProfile merge(CustomerProfile other) {
    engagements += other.engagements;
    engagementSeconds += other.engagementSeconds;
    calls += other.calls;
    callSeconds += other.callSeconds;
    websiteVisits += other.websiteVisits;
    websiteSeconds += other.websiteSeconds;
    if (other.firstEngagement != null
        && (firstEngagement == null || other.firstEngagement.isBefore(firstEngagement))) {
      firstEngagement = other.firstEngagement;
    }
    if (other.lastEngagement != null
        && (lastEngagement == null || other.lastEngagement.isAfter(lastEngagement))) {
      lastEngagement = other.lastEngagement;
    }
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

  private static boolean isLater(Instant at, String id, Instant currentAt, String currentId) {
    if (currentAt == null) {
      return true;
    }
    int byTime = at.compareTo(currentAt);
    return byTime > 0 || (byTime == 0 && id.compareTo(currentId) > 0);
  }

  /** A copy keyed by customer and window, from the given firing. */
  public CustomerProfile finish(
      String userId, Instant windowStart, Instant windowEnd, Pane pane, boolean isFinal) {
    CustomerProfile p = new CustomerProfile().merge(this);
    p.userId = userId;
    p.windowStart = windowStart;
    p.windowEnd = windowEnd;
    p.pane = pane;
    p.isFinal = isFinal;
    return p;
  }

  public String userId() {
    return userId;
  }

  public Instant windowStart() {
    return windowStart;
  }

  public Instant windowEnd() {
    return windowEnd;
  }

  public Pane pane() {
    return pane;
  }

  public boolean isFinal() {
    return isFinal;
  }

  public long engagements() {
    return engagements;
  }

  public long engagementSeconds() {
    return engagementSeconds;
  }

  public long calls() {
    return calls;
  }

  public long callSeconds() {
    return callSeconds;
  }

  public long websiteVisits() {
    return websiteVisits;
  }

  public long websiteSeconds() {
    return websiteSeconds;
  }

  public Instant firstEngagement() {
    return firstEngagement;
  }

  public Instant lastEngagement() {
    return lastEngagement;
  }

  public String lastCallId() {
    return lastCallId;
  }

  public String lastSiteId() {
    return lastSiteId;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CustomerProfile)) {
      return false;
    }
    CustomerProfile p = (CustomerProfile) o;
    return engagements == p.engagements
        && engagementSeconds == p.engagementSeconds
        && calls == p.calls
        && callSeconds == p.callSeconds
        && websiteVisits == p.websiteVisits
        && websiteSeconds == p.websiteSeconds
        && isFinal == p.isFinal
        && pane == p.pane
        && Objects.equals(userId, p.userId)
        && Objects.equals(windowStart, p.windowStart)
        && Objects.equals(windowEnd, p.windowEnd)
        && Objects.equals(firstEngagement, p.firstEngagement)
        && Objects.equals(lastEngagement, p.lastEngagement)
        && Objects.equals(lastCallId, p.lastCallId)
        && Objects.equals(lastCallAt, p.lastCallAt)
        && Objects.equals(lastSiteId, p.lastSiteId)
        && Objects.equals(lastSiteAt, p.lastSiteAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, windowStart, engagements, engagementSeconds, pane);
  }

  @Override
  public String toString() {
    return JsonLines.profile(this);
  }
}
