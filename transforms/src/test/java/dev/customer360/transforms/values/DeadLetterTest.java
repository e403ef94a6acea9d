package dev.customer360.transforms.values;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class DeadLetterTest {
  @Test
  public void payloadIsKeptWholeUpToTheLimitAndReplayable() {
    String big = "a".repeat(DeadLetter.MAX_PAYLOAD_BYTES);
    DeadLetter d = DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", big);
    assertEquals(big, d.payload());
    assertTrue(d.replayable());
    String wide = "é".repeat(DeadLetter.MAX_PAYLOAD_BYTES / 2); // 2 bytes each: just fits
    assertEquals(wide, DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", wide).payload());
    assertEquals("short", DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", "short").payload());
    assertTrue(DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", "short").replayable());
  }

  @Test
  public void controlCharactersCountAsTheirJsonEscapes() {
    // Every dead-letter sink writes the payload as a JSON string: NUL becomes \u0000 (6 bytes).
    String nuls = "\u0000".repeat(DeadLetter.MAX_PAYLOAD_BYTES / 6 + 1);
    DeadLetter d = DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", nuls);
    assertFalse(d.replayable());
    assertEquals(DeadLetter.CUT_PAYLOAD_BYTES / 6, d.payload().length());
  }

  @Test
  public void payloadOverTheLimitKeepsItsFirst4KibNeverInsideACharacterAndIsNotReplayable() {
    String ascii = "a".repeat(DeadLetter.MAX_PAYLOAD_BYTES + 1);
    DeadLetter cut = DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", ascii);
    assertEquals(4096, cut.payload().length());
    assertFalse(cut.replayable());
    String wide = "é".repeat(DeadLetter.MAX_PAYLOAD_BYTES); // 2 bytes each
    assertEquals(
        4096,
        DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", wide).payload().getBytes(UTF_8).length);
    String emoji = "x" + "😀".repeat(DeadLetter.MAX_PAYLOAD_BYTES / 4); // 1 + 4-byte code points
    String cutEmoji = DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", emoji).payload();
    assertEquals(4093, cutEmoji.getBytes(UTF_8).length);
    assertEquals(cutEmoji.codePoints().count() * 2 - 1, cutEmoji.length());
  }

  @Test
  public void theIdHashesTheWholePayloadSoRecordsSharingTheirStartStayApart() {
    String start = "x".repeat(DeadLetter.CUT_PAYLOAD_BYTES);
    DeadLetter a = DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", start + "a");
    DeadLetter b = DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", start + "b");
    assertNotEquals(a.id(), b.id());
    String huge = "y".repeat(DeadLetter.MAX_PAYLOAD_BYTES);
    DeadLetter cutA = DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", huge + "a");
    DeadLetter cutB = DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", huge + "b");
    assertEquals(cutA.payload(), cutB.payload());
    assertNotEquals(cutA.id(), cutB.id());
    // The same record failing the same way keeps its id (a re-run adds no copies).
    assertEquals(
        a.id(),
        DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", start + "a", Instant.ofEpochMilli(7)).id());
    // Field boundaries cannot be moved: NUL may occur in payloads and errors.
    assertNotEquals(
        DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e\u0000x", "p").id(),
        DeadLetter.of(DeadLetter.Stage.PARSE, "s", "e", "x\u0000p").id());
  }

  @Test
  public void nullsBecomeReadable() {
    DeadLetter d = DeadLetter.of(DeadLetter.Stage.PARSE, "s", null, null);
    assertEquals("unknown error", d.error());
    assertEquals("", d.payload());
  }

  @Test
  public void itsHandCoderCarriesEveryFieldDeclaredOrNot() throws Exception {
    EveryField.roundTrips(
        DeadLetterCoder.of(),
        DeadLetter.class,
        DeadLetter.of(DeadLetter.Stage.PARSE, "call_log", "bad", "{}", Instant.ofEpochMilli(5))
            .withOrigin("file:/data/call_log.jsonl.gz line 17")
            .withAttempts(2));
  }

  @Test
  public void aRawRecordsHandCoderCarriesItsLineBothPartsOfItsOriginAndItsReadError()
      throws Exception {
    RawRecord inFile = RawRecord.at("{}", RawRecord.byteOf("/data/clicks.jsonl"), 12345);
    RawRecord unreadable = inFile.unreadable("not valid UTF-8");
    EveryField.roundTrips(RawRecordCoder.of(), RawRecord.class, unreadable);
    CoderProperties.coderDecodeEncodeEqual(RawRecordCoder.of(), inFile);
    CoderProperties.coderDecodeEncodeEqual(RawRecordCoder.of(), unreadable);
    CoderProperties.coderDecodeEncodeEqual(RawRecordCoder.of(), RawRecord.of("{}"));
    CoderProperties.coderDecodeEncodeEqual(
        RawRecordCoder.of(), RawRecord.withOrigin("{}", "kafka:clicks/0@7"));
    CoderProperties.coderDecodeEncodeEqual(
        RawRecordCoder.of(), RawRecord.at("", RawRecord.lineOf("/d/c.jsonl.gz"), 0));
  }

  @Test
  public void aDeadLetterOfARawRecordNamesWhereItCameFromOutsideItsId() {
    RawRecord line = RawRecord.at("{}", RawRecord.lineOf("/data/clicks.jsonl.gz"), 17);
    RawRecord value = RawRecord.at("{}", RawRecord.kafkaOffsetOf("clicks", 3), 1042);
    DeadLetter fromFile = DeadLetter.ofRecord(DeadLetter.Stage.PARSE, "clickstream", "e", line);
    DeadLetter fromKafka = DeadLetter.ofRecord(DeadLetter.Stage.PARSE, "clickstream", "e", value);
    assertEquals("file:/data/clicks.jsonl.gz line 17", fromFile.origin());
    assertEquals("kafka:clicks/3@1042", fromKafka.origin());
    assertEquals(
        "file:/data/clicks.jsonl byte 0",
        RawRecord.at("{}", RawRecord.byteOf("/data/clicks.jsonl"), 0).origin());
    assertEquals("", DeadLetter.of(DeadLetter.Stage.PARSE, "clickstream", "e", "{}").origin());
    // The same record failing the same way is one dead letter wherever it was read.
    assertEquals(fromFile.id(), fromKafka.id());
    assertEquals(
        fromFile.id(), DeadLetter.of(DeadLetter.Stage.PARSE, "clickstream", "e", "{}").id());
  }

  @Test
  public void coderRoundTrips() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(
        DeadLetterCoder.of(),
        DeadLetter.of(DeadLetter.Stage.PARSE, "call_log", "bad", "{}", Instant.ofEpochMilli(5)));
    CoderProperties.coderDecodeEncodeEqual(
        DeadLetterCoder.of(),
        DeadLetter.of(
            DeadLetter.Stage.PARSE,
            "call_log",
            "bad",
            "z".repeat(DeadLetter.MAX_PAYLOAD_BYTES + 1),
            Instant.ofEpochMilli(5)));
    CoderProperties.coderDeterministic(
        DeadLetterCoder.of(),
        DeadLetter.of(DeadLetter.Stage.PARSE, "call_log", "bad", "{}", Instant.ofEpochMilli(5)),
        DeadLetter.of(DeadLetter.Stage.PARSE, "call_log", "bad", "{}", Instant.ofEpochMilli(5)));
  }

  @Test
  public void aReplayThatFailsAgainCountsOneMoreAttemptAndKeepsTheIdForTheSameReason() {
    DeadLetter first =
        DeadLetter.of(
            DeadLetter.Stage.RULES, "clickstream", "bad time", "{}", Instant.ofEpochMilli(5));
    DeadLetter same =
        first.failedAgain(
            DeadLetter.of(
                DeadLetter.Stage.RULES, "clickstream", "bad time", "{}", Instant.ofEpochMilli(9)));
    assertEquals(2, same.attempts());
    assertEquals(first.id(), same.id());
    assertEquals(Instant.ofEpochMilli(9), same.failedAt());
    DeadLetter other =
        same.failedAgain(DeadLetter.of(DeadLetter.Stage.SQL, "clickstream", "sql failed", "{}"));
    assertEquals(3, other.attempts());
    assertEquals("sql", other.stage);
    assertNotEquals(first.id(), other.id());
  }

  @Test
  public void aReplayThatFailsAgainKeepsTheOriginalOriginUnlessItKnowsItsOwn() {
    DeadLetter first =
        DeadLetter.of(DeadLetter.Stage.LATE, "clickstream", "late", "{}")
            .withOrigin("kafka:clicks/3@1042");
    DeadLetter again = DeadLetter.of(DeadLetter.Stage.LATE, "clickstream", "late", "{}");
    assertEquals("kafka:clicks/3@1042", first.failedAgain(again).origin());
    assertEquals(
        "file:/replayed.jsonl line 1",
        first.failedAgain(again.withOrigin("file:/replayed.jsonl line 1")).origin());
  }

  @Test
  public void onlyStagesWhosePayloadIsTheRecordAreReplayable() {
    for (DeadLetter.Stage stage : DeadLetter.Stage.values()) {
      boolean replayable = DeadLetter.of(stage, "s", "e", "{}").replayable();
      assertEquals(
          stage.name(),
          stage != DeadLetter.Stage.READ && stage != DeadLetter.Stage.VALIDATE,
          replayable);
      assertEquals(stage, DeadLetter.Stage.ofColumn(stage.column()));
    }
    assertFalse(DeadLetter.of(DeadLetter.Stage.SINK, "s", "e", "{}").notReplayable().replayable());
  }
}
