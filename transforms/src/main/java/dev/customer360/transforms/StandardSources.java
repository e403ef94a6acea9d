package dev.customer360.transforms;

import static dev.customer360.transforms.FieldRule.Kind.NON_EMPTY_TEXT;
import static dev.customer360.transforms.FieldRule.Kind.NON_NEGATIVE_INT;
import static dev.customer360.transforms.FieldRule.Kind.TIMESTAMP;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;

/**
 * The raw sources this pipeline knows. Adding a source is one entry here plus {@code
 * src/sql/<name>.sql}: the entry's rules mirror what the SQL reads. A TIMESTAMP rule accepts the
 * formats the SQL's {@code to_timestamp} calls read, so the SQL alone says which those are.
 */
public final class StandardSources {
  private StandardSources() {}

  /** Phone-call logs: a JSON envelope whose {@code xml} field holds the call record as XML. */
  public static final SourceDefinition CALL_LOG =
      SourceDefinition.of(
          "call_log",
          Schema.builder()
              .addNullableField("log_datatime", FieldType.STRING)
              .addNullableField("xml", FieldType.STRING)
              .build(),
          List.of(
              FieldRule.xml("xml", "//call_log/user_id", NON_EMPTY_TEXT),
              FieldRule.xml("xml", "//call_log/start_time", TIMESTAMP),
              FieldRule.xml("xml", "//call_log/call_id", NON_EMPTY_TEXT),
              FieldRule.xml("xml", "//call_log/call_time_seconds", NON_NEGATIVE_INT)));

  /** Website clickstream: one flat JSON object per visit. */
  public static final SourceDefinition CLICKSTREAM =
      SourceDefinition.of(
          "clickstream",
          Schema.builder()
              .addNullableField("event_timestamp", FieldType.STRING)
              .addNullableField("user_id", FieldType.STRING)
              .addNullableField("site_id", FieldType.STRING)
              .addNullableField("pages_visited", FieldType.INT32)
              .addNullableField("total_seconds_on_site", FieldType.INT32)
              .addNullableField("avg_percent_viewed", FieldType.DOUBLE)
              .build(),
          List.of(
              FieldRule.json("user_id", NON_EMPTY_TEXT),
              FieldRule.json("event_timestamp", TIMESTAMP),
              FieldRule.json("site_id", NON_EMPTY_TEXT),
              FieldRule.json("total_seconds_on_site", NON_NEGATIVE_INT)));

  /** Every known source, in the order the pipeline reads and reports them. */
  public static final List<SourceDefinition> ALL = List.of(CALL_LOG, CLICKSTREAM);
}
