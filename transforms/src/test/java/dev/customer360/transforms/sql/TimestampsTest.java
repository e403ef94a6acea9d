package dev.customer360.transforms.sql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class TimestampsTest {
  @Test
  public void parsesTheDefaultPattern() {
    assertEquals(
        LocalDateTime.of(2020, 3, 4, 13, 15, 12),
        Timestamps.parse("2020-03-04 13:15:12", Timestamps.DEFAULT_PATTERN));
  }

  @Test
  public void rejectsImpossibleDatesInsteadOfRollingThemOver() {
    for (String bad :
        new String[] {
          "2020-13-45 99:99:99",
          "2021-02-29 10:00:00",
          "2020-04-31 00:00:00",
          "2020-03-04T13:15:12",
          "2020-03-04",
          ""
        }) {
      assertThrows(
          bad,
          DateTimeParseException.class,
          () -> Timestamps.parse(bad, Timestamps.DEFAULT_PATTERN));
      assertNull(Timestamps.parseOrNull(bad, Timestamps.DEFAULT_PATTERN));
    }
    assertEquals(
        LocalDateTime.of(2020, 2, 29, 0, 0),
        Timestamps.parse("2020-02-29 00:00:00", Timestamps.DEFAULT_PATTERN));
  }

  @Test
  public void customPatternWithOffsetGivesUtcWallClock() {
    assertEquals(
        LocalDateTime.of(2020, 11, 16, 12, 32, 19),
        Timestamps.parse("2020-11-16T14:32:19.000+02:00", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"));
    assertEquals(
        LocalDateTime.of(2020, 11, 16, 14, 32, 19),
        Timestamps.parse("2020-11-16T14:32:19.000Z", "yyyy-MM-dd'T'HH:mm:ss.SSSX"));
  }

  @Test
  public void defaultPatternAgreesWithTheStrictFormatterOnEveryCase() {
    for (String text : defaultPatternCases()) {
      LocalDateTime expected;
      try {
        expected = LocalDateTime.parse(text.trim(), STRICT_DEFAULT);
      } catch (DateTimeParseException e) {
        assertThrows(
            text,
            DateTimeParseException.class,
            () -> Timestamps.parse(text, Timestamps.DEFAULT_PATTERN));
        continue;
      }
      assertEquals(text, expected, Timestamps.parse(text, Timestamps.DEFAULT_PATTERN));
    }
  }

  /**
   * The digit-by-digit fast path takes exactly the valid times of its shape and leaves every other
   * text to the formatter: a fast path that gave up too often would only be slower, so this is the
   * test that notices.
   */
  @Test
  public void theFastPathTakesExactlyTheValidTimesOfTheDefaultShape() {
    for (String text : defaultPatternCases()) {
      String trimmed = text.trim();
      LocalDateTime expected;
      try {
        expected = LocalDateTime.parse(trimmed, STRICT_DEFAULT);
      } catch (DateTimeParseException e) {
        expected = null;
      }
      assertEquals(text, expected, Timestamps.parseDefault(trimmed));
    }
  }

  @Test
  public void parseOrNullGivesTheTimeOfAValidText() {
    assertEquals(
        LocalDateTime.of(2020, 3, 4, 13, 15, 12),
        Timestamps.parseOrNull("2020-03-04 13:15:12", Timestamps.DEFAULT_PATTERN));
    assertEquals(
        LocalDateTime.of(2020, 3, 4, 13, 15),
        Timestamps.parseOrNull("04.03.2020 13:15", "dd.MM.yyyy HH:mm"));
  }

  @Test
  public void yearOfEraBecomesProlepticYearOutsideQuotesOnly() {
    LocalDateTime t = LocalDateTime.of(2021, 2, 28, 10, 0);
    assertEquals("2021 year 2021", Timestamps.strict("yyyy 'year' yyyy").format(t));
    assertEquals("2021 y's", Timestamps.strict("yyyy 'y''s'").format(t));
    assertThrows(
        DateTimeParseException.class, () -> Timestamps.strict("yyyy-MM-dd").parse("2021-02-29"));
  }

  private static final java.time.format.DateTimeFormatter STRICT_DEFAULT =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
          .withResolverStyle(java.time.format.ResolverStyle.STRICT);

  private static java.util.List<String> defaultPatternCases() {
    java.util.List<String> cases = new java.util.ArrayList<>();
    for (String date :
        new String[] {
          "2020-02-29",
          "2021-02-29",
          "2021-02-28",
          "2020-04-31",
          "2020-12-31",
          "2020-13-01",
          "2020-00-10",
          "2020-01-00",
          "0000-01-01",
          "9999-12-31"
        }) {
      for (String time :
          new String[] {
            "00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "1a:00:00", "12:00"
          }) {
        cases.add(date + " " + time);
      }
    }
    cases.addAll(
        java.util.List.of(
            "2020-03-04T13:19:22",
            "2020-3-04 13:19:22",
            " 2020-03-04 13:19:22 ",
            "+2020-03-04 13:19:2",
            "2020-03-04 13:19:22.5",
            "2020/03-04 13:19:22",
            "2020-03/04 13:19:22",
            "2020-03-04 13/19:22",
            "2020-03-04 13:19/22",
            "2020-03-04 13:19:2/",
            "2020-03-04 13:19:2:",
            "2020-03-04 13:1/:22",
            "2020-03-04 13:1::22",
            "2020-03-04 1/:19:22",
            "2020-03-04 1::19:22",
            "2020-03-0/ 13:19:22",
            "2020-03-0: 13:19:22",
            "2020-0/-04 13:19:22",
            "202/-03-04 13:19:22",
            "202:-03-04 13:19:22",
            "1999-09-09 09:09:09",
            "2000-10-10 10:10:10",
            ""));
    return cases;
  }

  @Test
  public void nullIsNull() {
    assertNull(Timestamps.parseOrNull(null, Timestamps.DEFAULT_PATTERN));
  }

  @Test
  public void patternsWithAnOffsetNameAnInstantAndIgnoreTheSourceZone() {
    java.time.ZoneId tallinn = java.time.ZoneId.of("Europe/Tallinn");
    assertEquals(true, Timestamps.carriesOffset("yyyy-MM-dd'T'HH:mm:ss.SSSX"));
    assertEquals(false, Timestamps.carriesOffset("yyyy-MM-dd'T'HH:mm:ss'Z'"));
    assertEquals(false, Timestamps.carriesOffset(Timestamps.DEFAULT_PATTERN));
    assertEquals(
        java.time.Instant.parse("2020-11-16T14:32:19Z"),
        Timestamps.toInstant("2020-11-16T14:32:19.000Z", "yyyy-MM-dd'T'HH:mm:ss.SSSX", tallinn));
    assertEquals(
        java.time.Instant.parse("2020-11-16T12:32:19Z"),
        Timestamps.toInstant("2020-11-16 14:32:19", Timestamps.DEFAULT_PATTERN, tallinn));
    assertEquals(
        java.time.Instant.parse("2020-07-01T09:00:00Z"),
        Timestamps.toInstant(
            "2020-07-01 12:00:00 Europe/Tallinn",
            "yyyy-MM-dd HH:mm:ss VV",
            java.time.ZoneOffset.UTC));
  }
}
