package dev.customer360.transforms.values;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class EngagementTest {
  private static final Instant T = Instant.parse("2020-03-04T13:15:12Z");

  @Test
  public void eventIdDependsOnTypeUserSourceAndTimeOnly() {
    Engagement a = Engagement.of("u", T, "website", "s", 10);
    assertEquals(a.eventId(), Engagement.of("u", T, "website", "s", 99).eventId());
    assertNotEquals(a.eventId(), Engagement.of("u", T, "sales call", "s", 10).eventId());
    assertNotEquals(a.eventId(), Engagement.of("u2", T, "website", "s", 10).eventId());
    assertNotEquals(a.eventId(), Engagement.of("u", T, "website", "s2", 10).eventId());
    assertNotEquals(a.eventId(), Engagement.of("u", T.plus(1000), "website", "s", 10).eventId());
    // The separator keeps field boundaries apart.
    assertNotEquals(
        Engagement.of("ab", T, "website", "c", 1).eventId(),
        Engagement.of("a", T, "website", "bc", 1).eventId());
    assertEquals(32, a.eventId().length());
  }

  /**
   * Event ids are the idempotency key of every sink, so they are pinned here as computed outside
   * this code (the first 16 bytes, in hex, of SHA-256 over type, user id, source id and epoch
   * millis joined by NUL, in UTF-8; Python's hashlib gave these). If this fails, ids changed: that
   * is a migration of every sink's keys, not a test to update.
   */
  @Test
  public void eventIdsArePinned() {
    assertEquals(
        "4a2be788cef08e11542c97e50979334b",
        Engagement.of("a", Instant.parse("2020-03-04T10:05:00Z"), "sales call", "call-a", 60)
            .eventId());
    assertEquals(
        "c73fcbdf634c27d452298a72ce33c26f",
        Engagement.of(
                "3f7e2b1c-0000-4000-8000-00000000abcd",
                Instant.parse("2020-11-16T14:32:19Z"),
                "website",
                "wj32-gao1-4w1o-iqp4",
                5)
            .eventId());
    assertEquals(
        "e162129ac00a0d99ae14f9fdedaa1882",
        Engagement.of(
                "Zo\u00eb",
                Instant.parse("1969-12-31T23:59:59.999Z"),
                "sales call",
                "call-\u00fcn\u00efcode",
                1)
            .eventId());
  }

  @Test
  public void coderRoundTripsAndIsDeterministic() throws Exception {
    Engagement e = Engagement.of("u", T, "sales call", "c", 207);
    CoderProperties.coderDecodeEncodeEqual(EngagementCoder.of(), e);
    CoderProperties.coderDeterministic(
        EngagementCoder.of(), e, Engagement.of("u", T, "sales call", "c", 207));
  }

  @Test
  public void itsHandCoderCarriesEveryFieldDeclaredOrNot() throws Exception {
    EveryField.roundTrips(
        EngagementCoder.of(),
        Engagement.class,
        Engagement.from("call_log", "u", T, "sales call", "c", 207).replacing(100));
  }

  @Test
  public void theRawSourceTravelsThroughCodersAndCopiesButIsNotItsIdentity() throws Exception {
    Engagement e = Engagement.from("call_log", "u", T, "sales call", "c", 207);
    Engagement decoded = CoderUtils.clone(EngagementCoder.of(), e.replacing(100));
    assertEquals("call_log", decoded.source());
    assertEquals("call_log", decoded.withSeconds(300).deadLetterSource());
    // Provenance only: the same event from an unknown source is the same engagement.
    assertEquals(Engagement.of("u", T, "sales call", "c", 207), e);
    assertEquals("sales call", Engagement.of("u", T, "sales call", "c", 207).deadLetterSource());
  }
}
