package dev.customer360.transforms.values;

import static org.junit.Assert.assertEquals;

import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class JsonLinesTest {
  @Test
  public void engagementFieldsInContractOrderWithUtcTime() {
    Engagement e =
        Engagement.of("u\"1", Instant.parse("2020-03-04T13:15:12.345Z"), "website", "s", 7);
    assertEquals(
        "{\"user_id\":\"u\\\"1\",\"engagement_datetime\":\"2020-03-04 13:15:12\","
            + "\"engagement_type\":\"website\",\"engagement_source_id\":\"s\","
            + "\"engagement_seconds\":7,\"event_id\":\""
            + e.eventId()
            + "\"}",
        JsonLines.engagement(e));
  }

  @Test
  public void deadLetterEscapesThePayloadOnOneLine() {
    DeadLetter d =
        DeadLetter.of(
                DeadLetter.Stage.PARSE,
                "call_log",
                "bad",
                "line\r\nwith \"quotes\"",
                Instant.parse("2026-01-02T03:04:05Z"))
            .withOrigin("kafka:clicks/3@1042");
    assertEquals(
        "{\"source\":\"call_log\",\"error\":\"bad\",\"payload\":\"line\\r\\nwith \\\"quotes\\\"\","
            + "\"failed_at\":\"2026-01-02T03:04:05.000Z\",\"replayable\":true,"
            + "\"stage\":\"parse\",\"attempts\":1,\"origin\":\"kafka:clicks/3@1042\"}",
        JsonLines.deadLetter(d));
    assertEquals(d, JsonLines.deadLetterOf(JsonLines.deadLetter(d)));
  }

  @Test
  public void aCutPayloadIsMarkedNotReplayable() {
    DeadLetter d =
        DeadLetter.of(
            DeadLetter.Stage.PARSE,
            "call_log",
            "too big",
            "q".repeat(DeadLetter.MAX_PAYLOAD_BYTES + 1),
            Instant.parse("2026-01-02T03:04:05Z"));
    assertEquals(
        "{\"source\":\"call_log\",\"error\":\"too big\",\"payload\":\""
            + "q".repeat(DeadLetter.CUT_PAYLOAD_BYTES)
            + "\",\"failed_at\":\"2026-01-02T03:04:05.000Z\",\"replayable\":false,"
            + "\"stage\":\"parse\",\"attempts\":1,\"origin\":\"\"}",
        JsonLines.deadLetter(d));
  }

  @Test
  public void aDeadLetterWrittenBeforeOriginsReadsAsNone() {
    DeadLetter d =
        JsonLines.deadLetterOf(
            "{\"source\":\"call_log\",\"error\":\"bad\",\"payload\":\"{}\","
                + "\"failed_at\":\"2026-01-02T03:04:05.000Z\",\"replayable\":true,"
                + "\"stage\":\"parse\",\"attempts\":2}");
    assertEquals("", d.origin());
    assertEquals(2, d.attempts());
  }
}
