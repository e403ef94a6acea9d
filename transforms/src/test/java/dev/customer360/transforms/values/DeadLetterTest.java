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
    DeadLetter d = DeadLetter.of("s", "e", big);
    assertEquals(big, d.payload());
    assertTrue(d.replayable());
    String wide = "é".repeat(DeadLetter.MAX_PAYLOAD_BYTES / 2); // 2 bytes each: just fits
    assertEquals(wide, DeadLetter.of("s", "e", wide).payload());
    assertEquals("short", DeadLetter.of("s", "e", "short").payload());
    assertTrue(DeadLetter.of("s", "e", "short").replayable());
  }

  @Test
  public void controlCharactersCountAsTheirJsonEscapes() {
    // Every dead-letter sink writes the payload as a JSON string: NUL becomes \u0000 (6 bytes).
    String nuls = "\u0000".repeat(DeadLetter.MAX_PAYLOAD_BYTES / 6 + 1);
    DeadLetter d = DeadLetter.of("s", "e", nuls);
    assertFalse(d.replayable());
    assertEquals(DeadLetter.CUT_PAYLOAD_BYTES / 6, d.payload().length());
  }

  @Test
  public void payloadOverTheLimitKeepsItsFirst4KibNeverInsideACharacterAndIsNotReplayable() {
    String ascii = "a".repeat(DeadLetter.MAX_PAYLOAD_BYTES + 1);
    DeadLetter cut = DeadLetter.of("s", "e", ascii);
    assertEquals(4096, cut.payload().length());
    assertFalse(cut.replayable());
    String wide = "é".repeat(DeadLetter.MAX_PAYLOAD_BYTES); // 2 bytes each
    assertEquals(4096, DeadLetter.of("s", "e", wide).payload().getBytes(UTF_8).length);
    String emoji = "x" + "😀".repeat(DeadLetter.MAX_PAYLOAD_BYTES / 4); // 1 + 4-byte code points
    String cutEmoji = DeadLetter.of("s", "e", emoji).payload();
    assertEquals(4093, cutEmoji.getBytes(UTF_8).length);
    assertEquals(cutEmoji.codePoints().count() * 2 - 1, cutEmoji.length());
  }

  @Test
  public void theIdHashesTheWholePayloadSoRecordsSharingTheirStartStayApart() {
    String start = "x".repeat(DeadLetter.CUT_PAYLOAD_BYTES);
    DeadLetter a = DeadLetter.of("s", "e", start + "a");
    DeadLetter b = DeadLetter.of("s", "e", start + "b");
    assertNotEquals(a.id(), b.id());
    String huge = "y".repeat(DeadLetter.MAX_PAYLOAD_BYTES);
    DeadLetter cutA = DeadLetter.of("s", "e", huge + "a");
    DeadLetter cutB = DeadLetter.of("s", "e", huge + "b");
    assertEquals(cutA.payload(), cutB.payload());
    assertNotEquals(cutA.id(), cutB.id());
    // The same record failing the same way keeps its id (a re-run adds no copies).
    assertEquals(a.id(), DeadLetter.of("s", "e", start + "a", Instant.ofEpochMilli(7)).id());
    // Field boundaries cannot be moved: NUL may occur in payloads and errors.
    assertNotEquals(
        DeadLetter.of("s", "e\u0000x", "p").id(), DeadLetter.of("s", "e", "x\u0000p").id());
  }

  @Test
  public void nullsBecomeReadable() {
    DeadLetter d = DeadLetter.of("s", null, null);
    assertEquals("unknown error", d.error());
    assertEquals("", d.payload());
  }

  @Test
  public void itsHandCoderCarriesEveryFieldDeclaredOrNot() throws Exception {
    EveryField.roundTrips(
        DeadLetterCoder.of(),
        DeadLetter.class,
        DeadLetter.of("call_log", "bad", "{}", Instant.ofEpochMilli(5)));
  }

  @Test
  public void coderRoundTrips() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(
        DeadLetterCoder.of(), DeadLetter.of("call_log", "bad", "{}", Instant.ofEpochMilli(5)));
    CoderProperties.coderDecodeEncodeEqual(
        DeadLetterCoder.of(),
        DeadLetter.of(
            "call_log",
            "bad",
            "z".repeat(DeadLetter.MAX_PAYLOAD_BYTES + 1),
            Instant.ofEpochMilli(5)));
    CoderProperties.coderDeterministic(
        DeadLetterCoder.of(),
        DeadLetter.of("call_log", "bad", "{}", Instant.ofEpochMilli(5)),
        DeadLetter.of("call_log", "bad", "{}", Instant.ofEpochMilli(5)));
  }
}
