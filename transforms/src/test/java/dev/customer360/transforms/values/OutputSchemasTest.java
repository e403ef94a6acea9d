package dev.customer360.transforms.values;

import static org.junit.Assert.assertEquals;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.junit.Test;

/**
 * The typed columns (Parquet) of each output are those written before the types were declared:
 * names, order, types and which may be absent.
 */
public class OutputSchemasTest {
  @Test
  public void engagements() {
    assertEquals(
        Schema.builder()
            .addStringField("user_id")
            .addDateTimeField("engagement_datetime")
            .addStringField("engagement_type")
            .addStringField("engagement_source_id")
            .addInt32Field("engagement_seconds")
            .addStringField("event_id")
            .build()
            .getFields(),
        Declared.schema(Engagement.class).getFields());
  }

  @Test
  public void profiles() {
    assertEquals(
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
            .build()
            .getFields(),
        Declared.schema(CustomerProfile.class).getFields());
  }

  @Test
  public void deadLetters() {
    assertEquals(
        Schema.builder()
            .addStringField("source")
            .addStringField("error")
            .addStringField("payload")
            .addDateTimeField("failed_at")
            .addBooleanField("replayable")
            .addStringField("stage")
            .addInt32Field("attempts")
            .addStringField("origin")
            .build()
            .getFields(),
        Declared.schema(DeadLetter.class).getFields());
  }
}
