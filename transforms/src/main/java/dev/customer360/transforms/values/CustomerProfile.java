package dev.customer360.transforms.values;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCaseFormat;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.CaseFormat;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The "360": one customer's engagements in one window, from one firing of it ({@link
 * ProfileAccumulator} computes it).
 *
 * <p>Declared once: its fields (snake_case, in this order) give its coder, JSON line, Parquet
 * record and PostgreSQL columns ({@link Declared}).
 */
@DefaultSchema(JavaFieldSchema.class)
@SchemaCaseFormat(CaseFormat.LOWER_UNDERSCORE)
public final class CustomerProfile implements Serializable {
  private static final long serialVersionUID = 2L;
  private static final SerializableFunction<CustomerProfile, Row> ROW =
      Declared.toRow(CustomerProfile.class);

  /** Which firing of its window a profile comes from. */
  public enum Pane {
    EARLY,
    ON_TIME,
    LATE,
    UNKNOWN
  }

  public final String userId;
  public final Instant windowStart;
  public final Instant windowEnd;

  /** Over every engagement type. */
  public final long engagements;

  public final long engagementSeconds;

  /** Sales calls. */
  public final long calls;

  public final long callSeconds;
  public final long websiteVisits;
  public final long websiteSeconds;

  /** The earliest and latest engagement time. */
  public final @Nullable Instant firstEngagement;

  public final @Nullable Instant lastEngagement;

  /** The source id of the latest call and visit (ties broken by the larger id). */
  public final @Nullable String lastCallId;

  public final @Nullable String lastSiteId;

  /** The {@link Pane}'s name. */
  public final String pane;

  /** The window's last firing. */
  @SchemaFieldName("final")
  public final boolean isFinal;

  @SchemaCreate
  public CustomerProfile(
      String userId,
      Instant windowStart,
      Instant windowEnd,
      long engagements,
      long engagementSeconds,
      long calls,
      long callSeconds,
      long websiteVisits,
      long websiteSeconds,
      @Nullable Instant firstEngagement,
      @Nullable Instant lastEngagement,
      @Nullable String lastCallId,
      @Nullable String lastSiteId,
      String pane,
      boolean isFinal) {
    this.userId = userId;
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.engagements = engagements;
    this.engagementSeconds = engagementSeconds;
    this.calls = calls;
    this.callSeconds = callSeconds;
    this.websiteVisits = websiteVisits;
    this.websiteSeconds = websiteSeconds;
    this.firstEngagement = firstEngagement;
    this.lastEngagement = lastEngagement;
    this.lastCallId = lastCallId;
    this.lastSiteId = lastSiteId;
    this.pane = pane;
    this.isFinal = isFinal;
  }

  /** Its schema coder. */
  public static Coder<CustomerProfile> coder() {
    return Declared.coder(CustomerProfile.class);
  }

  /** Equal when every declared field is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof CustomerProfile
        && ROW.apply(this).getValues().equals(ROW.apply((CustomerProfile) o).getValues());
  }

  @Override
  public int hashCode() {
    return ROW.apply(this).getValues().hashCode();
  }

  @Override
  public String toString() {
    return JsonLines.profile(this);
  }
}
