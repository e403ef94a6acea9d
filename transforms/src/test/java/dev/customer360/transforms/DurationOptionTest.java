package dev.customer360.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.joda.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class DurationOptionTest {
  @Test
  public void readsShortAndIsoForms() {
    assertEquals(Duration.millis(500), DurationOption.parse("500ms").duration());
    assertEquals(Duration.standardSeconds(30), DurationOption.parse("30s").duration());
    assertEquals(Duration.standardMinutes(15), DurationOption.parse("15m").duration());
    assertEquals(Duration.standardHours(1), DurationOption.parse(" 1H ").duration());
    assertEquals(Duration.standardDays(2), DurationOption.parse("2d").duration());
    assertEquals(Duration.standardMinutes(90), DurationOption.parse("PT1H30M").duration());
    assertEquals(Duration.ZERO, DurationOption.parse("0s").duration());
  }

  @Test
  public void showsTheValueAsWritten() {
    assertEquals("PT1H30M", DurationOption.parse("PT1H30M").toString());
    assertEquals("120s", new DurationOption.TwoMinutes().create(null).toString());
    assertEquals(DurationOption.parse("2m"), new DurationOption.TwoMinutes().create(null));
  }

  @Test
  public void aBadValueSaysWhatToWriteWithoutNamingAFlag() {
    for (String bad : new String[] {"abc", "", "1 hour", "-1h", "PT-1H", "1w"}) {
      IllegalArgumentException e =
          assertThrows(bad, IllegalArgumentException.class, () -> DurationOption.parse(bad));
      assertEquals(
          "'" + bad + "' is not a duration; use e.g. 30s, 15m, 1h, 1d or ISO-8601 PT1H",
          e.getMessage());
    }
  }
}
