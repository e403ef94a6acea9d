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
  public void aDeadLetterReadsBackFromItsLine() {
    DeadLetter d =
        DeadLetter.of(
                DeadLetter.Stage.RULES,
                "clickstream",
                "missing required 'user_id'",
                "{\"site_id\":\"s\"}",
                Instant.parse("2024-03-01T10:00:00Z"))
            .withAttempts(3);
    DeadLetter back = JsonLines.deadLetterOf(JsonLines.deadLetter(d));
    assertEquals(d, back);
    assertEquals(DeadLetter.Stage.RULES, back.stage());
    assertEquals(3, back.attempts());
    DeadLetter notReplayable = d.notReplayable();
    assertEquals(false, JsonLines.deadLetterOf(JsonLines.deadLetter(notReplayable)).replayable);
  }

  @Test
  public void anOlderLineHasNoStageOneAttemptAndIsReplayable() {
    DeadLetter d =
        JsonLines.deadLetterOf(
            "{\"source\":\"call_log\",\"error\":\"e\",\"payload\":\"p\","
                + "\"failed_at\":\"2024-03-01T10:00:00.000Z\"}");
    assertEquals("call_log", d.source);
    assertEquals("e", d.error);
    assertEquals("p", d.payload);
    assertEquals(Instant.parse("2024-03-01T10:00:00Z"), d.failedAt());
    assertEquals("", d.stage);
    org.junit.Assert.assertNull(d.stage());
    assertEquals(1, d.attempts());
    assertEquals(true, d.replayable);
    DeadLetter nulls =
        JsonLines.deadLetterOf(
            "{\"source\":\"s\",\"error\":\"e\",\"payload\":\"p\","
                + "\"failed_at\":\"2024-03-01T10:00:00Z\",\"stage\":null,"
                + "\"replayable\":null,\"attempts\":null}");
    assertEquals("", nulls.stage);
    assertEquals(true, nulls.replayable);
    assertEquals(1, nulls.attempts());
  }

  @Test
  public void aLineThatIsNotADeadLetterSaysWhatIsWrong() {
    assertEquals(
        "no field 'payload'",
        org.junit.Assert.assertThrows(
                IllegalArgumentException.class,
                () ->
                    JsonLines.deadLetterOf(
                        "{\"source\":\"s\",\"error\":\"e\",\"payload\":null,"
                            + "\"failed_at\":\"2024-03-01T10:00:00Z\"}"))
            .getMessage());
    assertEquals(
        "no field 'source'",
        org.junit.Assert.assertThrows(
                IllegalArgumentException.class, () -> JsonLines.deadLetterOf("{}"))
            .getMessage());
    assertEquals(
        "not a JSON object",
        org.junit.Assert.assertThrows(
                IllegalArgumentException.class, () -> JsonLines.deadLetterOf("[1]"))
            .getMessage());
    assertEquals(
        "not a JSON object",
        org.junit.Assert.assertThrows(
                IllegalArgumentException.class, () -> JsonLines.deadLetterOf(""))
            .getMessage());
    org.hamcrest.MatcherAssert.assertThat(
        org.junit.Assert.assertThrows(
                IllegalArgumentException.class, () -> JsonLines.deadLetterOf("{\"a\""))
            .getMessage(),
        org.hamcrest.Matchers.startsWith("not valid JSON: "));
  }

  @Test
  public void aConflictIsOneLineOfTheKeptEngagementAndTheDroppedSeconds() {
    Engagement kept =
        Engagement.of("u", Instant.parse("2020-03-04T13:15:12Z"), "sales call", "c", 90);
    org.hamcrest.MatcherAssert.assertThat(
        JsonLines.conflict(EngagementConflict.of(kept, 30)),
        org.hamcrest.Matchers.allOf(
            org.hamcrest.Matchers.startsWith("{\"event_id\":\"" + kept.eventId() + "\""),
            org.hamcrest.Matchers.containsString("30"),
            org.hamcrest.Matchers.containsString("90"),
            org.hamcrest.Matchers.endsWith("}")));
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
