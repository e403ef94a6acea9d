package dev.customer360.transforms.values;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;

/**
 * The outputs as Beam rows with typed schemas (timestamps as DATETIME, seconds as INT32), for sinks
 * that keep types, such as Parquet. Field names and order match {@link JsonLines}.
 */
public final class OutputRows {
  private OutputRows() {}

  public static final Schema ENGAGEMENT =
      Schema.builder()
          .addStringField("user_id")
          .addDateTimeField("engagement_datetime")
          .addStringField("engagement_type")
          .addStringField("engagement_source_id")
          .addInt32Field("engagement_seconds")
          .addStringField("event_id")
          .build();

  public static final Schema PROFILE =
      Schema.builder()
          .addStringField("user_id")
          .addDateTimeField("window_start")
          .addDateTimeField("window_end")
          .addInt64Field("engagements")
          .addInt64Field("engagement_seconds")
          .addInt64Field("calls")
          .addInt64Field("call_seconds")
          .addInt64Field("website_visits")
          .addInt64Field("website_seconds")
          .addNullableField("first_engagement", FieldType.DATETIME)
          .addNullableField("last_engagement", FieldType.DATETIME)
          .addNullableField("last_call_id", FieldType.STRING)
          .addNullableField("last_site_id", FieldType.STRING)
          .addStringField("pane")
          .addBooleanField("final")
          .build();

  public static final Schema DEAD_LETTER =
      Schema.builder()
          .addStringField("source")
          .addStringField("error")
          .addStringField("payload")
          .addDateTimeField("failed_at")
          .addBooleanField("replayable")
          .build();

  public static Row engagement(Engagement e) {
    return Row.withSchema(ENGAGEMENT)
        .addValues(
            e.userId(),
            e.engagementDatetime(),
            e.engagementType(),
            e.engagementSourceId(),
            e.engagementSeconds(),
            e.eventId())
        .build();
  }

  public static Row profile(CustomerProfile p) {
    return Row.withSchema(PROFILE)
        .addValues(
            p.userId(),
            p.windowStart(),
            p.windowEnd(),
            p.engagements(),
            p.engagementSeconds(),
            p.calls(),
            p.callSeconds(),
            p.websiteVisits(),
            p.websiteSeconds(),
            p.firstEngagement(),
            p.lastEngagement(),
            p.lastCallId(),
            p.lastSiteId(),
            p.pane().name(),
            p.isFinal())
        .build();
  }

  public static Row deadLetter(DeadLetter d) {
    return Row.withSchema(DEAD_LETTER)
        .addValues(d.source(), d.error(), d.payload(), d.failedAt(), d.replayable())
        .build();
  }
}
