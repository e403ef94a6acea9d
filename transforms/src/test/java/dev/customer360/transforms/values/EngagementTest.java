package dev.customer360.transforms.values;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import org.apache.beam.sdk.testing.CoderProperties;
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

  @Test
  public void coderRoundTripsAndIsDeterministic() throws Exception {
    Engagement e = Engagement.of("u", T, "sales call", "c", 207);
    CoderProperties.coderDecodeEncodeEqual(EngagementCoder.of(), e);
    CoderProperties.coderDeterministic(
        EngagementCoder.of(), e, Engagement.of("u", T, "sales call", "c", 207));
  }
}
