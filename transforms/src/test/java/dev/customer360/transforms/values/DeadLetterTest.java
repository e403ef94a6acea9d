package dev.customer360.transforms.values;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class DeadLetterTest {
  @Test
  public void payloadIsCutAt4KibOfUtf8NeverInsideACharacter() {
    String ascii = "a".repeat(10_000);
    assertEquals(4096, DeadLetter.of("s", "e", ascii).payload().length());
    String wide = "é".repeat(3000); // 2 bytes each
    String cut = DeadLetter.of("s", "e", wide).payload();
    assertEquals(4096, cut.getBytes(StandardCharsets.UTF_8).length);
    String emoji = "x" + "😀".repeat(2000); // 1 + 4-byte code points
    String cutEmoji = DeadLetter.of("s", "e", emoji).payload();
    assertEquals(4093, cutEmoji.getBytes(StandardCharsets.UTF_8).length);
    assertEquals(cutEmoji.codePoints().count() * 2 - 1, cutEmoji.length());
    assertEquals("short", DeadLetter.of("s", "e", "short").payload());
  }

  @Test
  public void nullsBecomeReadable() {
    DeadLetter d = DeadLetter.of("s", null, null);
    assertEquals("unknown error", d.error());
    assertEquals("", d.payload());
  }

  @Test
  public void coderRoundTrips() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(
        DeadLetterCoder.of(), DeadLetter.of("call_log", "bad", "{}", Instant.ofEpochMilli(5)));
    CoderProperties.coderDeterministic(
        DeadLetterCoder.of(),
        DeadLetter.of("call_log", "bad", "{}", Instant.ofEpochMilli(5)),
        DeadLetter.of("call_log", "bad", "{}", Instant.ofEpochMilli(5)));
  }
}
