package dev.customer360.transforms.values;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;
import org.junit.Test;

public class EngagementConflictTest {
  private static final Engagement KEPT =
      Engagement.of("u1", Instant.parse("2024-03-01T10:15:00Z"), "Website", "site-7", 90);

  @Test
  public void itsSchemaNamesTheColumnsInSnakeCaseInDeclarationOrder() throws Exception {
    Schema schema = SchemaRegistry.createDefault().getSchema(EngagementConflict.class);
    List<String> names =
        schema.getFields().stream().map(Schema.Field::getName).collect(Collectors.toList());
    assertEquals(
        List.of(
            "event_id",
            "user_id",
            "engagement_datetime",
            "engagement_type",
            "engagement_source_id",
            "kept_seconds",
            "dropped_seconds"),
        names);
  }

  @Test
  public void itsSchemaCoderRoundTripsEveryField() throws Exception {
    EngagementConflict conflict = EngagementConflict.of(KEPT, 30);
    Coder<EngagementConflict> coder =
        SchemaRegistry.createDefault().getSchemaCoder(TypeDescriptor.of(EngagementConflict.class));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    coder.encode(conflict, bytes);
    EngagementConflict back = coder.decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(conflict, back);
    assertEquals(90, back.keptSeconds);
    assertEquals(30, back.droppedSeconds);
  }

  @Test
  public void itsJsonLineHasTheSameTimeFormatAsEngagements() throws Exception {
    EngagementConflict conflict = EngagementConflict.of(KEPT, 30);
    String json =
        JsonLines.row(
            SchemaRegistry.createDefault()
                .getToRowFunction(EngagementConflict.class)
                .apply(conflict));
    assertEquals(
        "{\"event_id\":\""
            + KEPT.eventId()
            + "\",\"user_id\":\"u1\",\"engagement_datetime\":\"2024-03-01 10:15:00\","
            + "\"engagement_type\":\"Website\",\"engagement_source_id\":\"site-7\","
            + "\"kept_seconds\":90,\"dropped_seconds\":30}",
        json);
  }
}
