package dev.customer360.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.joda.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class DurationsTest {
  @Test
  public void readsShortAndIsoForms() {
    assertEquals(Duration.millis(500), Durations.parse("--window", "500ms"));
    assertEquals(Duration.standardSeconds(30), Durations.parse("--window", "30s"));
    assertEquals(Duration.standardMinutes(15), Durations.parse("--window", "15m"));
    assertEquals(Duration.standardHours(1), Durations.parse("--window", " 1H "));
    assertEquals(Duration.standardDays(2), Durations.parse("--window", "2d"));
    assertEquals(Duration.standardMinutes(90), Durations.parse("--window", "PT1H30M"));
    assertEquals(Duration.ZERO, Durations.parse("--allowedLateness", "0s"));
  }

  @Test
  public void badValueNamesTheFlagAndTheForms() {
    for (String bad : new String[] {"abc", "", "1 hour", "-1h", "PT-1H", "1w"}) {
      IllegalArgumentException e =
          assertThrows(bad, IllegalArgumentException.class, () -> Durations.parse("--window", bad));
      assertThat(e.getMessage(), containsString("--window='" + bad + "' is not a duration"));
    }
  }
}
