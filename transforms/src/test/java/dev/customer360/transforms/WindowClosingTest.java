package dev.customer360.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** When a fixed window stops accepting data, in epoch millis, without a pipeline. */
@RunWith(JUnit4.class)
public class WindowClosingTest {
  private static final long HOUR = 3_600_000L;
  private static final long TEN = Instant.parse("2020-03-04T10:00:00Z").getMillis();

  @Test
  public void windowsAreAlignedToTheEpoch() {
    assertEquals(TEN, WindowClosing.windowStart(TEN, HOUR));
    assertEquals(TEN, WindowClosing.windowStart(TEN + HOUR - 1, HOUR));
    assertEquals(TEN + HOUR, WindowClosing.windowStart(TEN + HOUR, HOUR));
    // Before the epoch the window still starts at or before the time, never after it.
    assertEquals(-HOUR, WindowClosing.windowStart(-1, HOUR));
    assertEquals(TEN, WindowEngagements.startOf(TEN + 5, HOUR));
  }

  @Test
  public void aWindowClosesAtItsLastMillisecondPlusTheAllowedLateness() {
    long lateness = 30 * 60_000L;
    long closes = TEN + HOUR - 1 + lateness;
    assertEquals(closes, WindowClosing.closingTime(TEN, HOUR, lateness));
    assertEquals(closes, WindowClosing.closingTime(TEN + HOUR - 1, HOUR, lateness));
    assertEquals(closes + HOUR, WindowClosing.closingTime(TEN + HOUR, HOUR, lateness));
    assertEquals(TEN + HOUR - 1, WindowClosing.closingTime(TEN + 7, HOUR, 0));
    assertEquals(
        closes,
        DeduplicateEngagements.closingTime(
            new Instant(TEN + 7),
            org.joda.time.Duration.millis(HOUR),
            org.joda.time.Duration.millis(lateness)));
  }

  @Test
  public void aWindowIsOpenAtItsClosingTimeAndClosedAfter() {
    long closes = TEN + HOUR - 1;
    assertFalse(WindowClosing.isClosed(closes, closes - 1));
    assertFalse(WindowClosing.isClosed(closes, closes));
    assertTrue(WindowClosing.isClosed(closes, closes + 1));
  }

  @Test
  public void idsAreReleasedByATimerJustAfterTheClosingTime() {
    long closes = TEN + HOUR - 1;
    assertEquals(TEN + HOUR, WindowClosing.releaseAt(closes));
    // The watermark at which the timer fires closes the window.
    assertTrue(WindowClosing.isClosed(closes, WindowClosing.releaseAt(closes)));
  }
}
