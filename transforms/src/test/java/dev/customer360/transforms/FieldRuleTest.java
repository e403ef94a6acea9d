package dev.customer360.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.customer360.transforms.sql.Timestamps;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Each rule kind's verdict, with the exact words dead letters carry. */
@RunWith(JUnit4.class)
public class FieldRuleTest {
  private static final FieldRule ID = FieldRule.json("user_id", FieldRule.Kind.NON_EMPTY_TEXT);
  private static final FieldRule START =
      FieldRule.xml("xml", "//call_log/start_time", FieldRule.Kind.TIMESTAMP);
  private static final FieldRule SECONDS =
      FieldRule.xml("xml", "//call_log/call_time_seconds", FieldRule.Kind.NON_NEGATIVE_INT);

  @Test
  public void nonEmptyText() {
    assertNull(ID.problemWith("u"));
    assertEquals("missing required 'user_id'", ID.problemWith(null));
    assertEquals("'user_id' is empty", ID.problemWith(" "));
  }

  @Test
  public void timestampInTheDefaultOrTheRulesPattern() {
    assertNull(START.problemWith("2020-03-04 13:15:12"));
    assertEquals(
        "'xml' //call_log/start_time '2021-02-29 10:00:00' is not a valid timestamp"
            + " (expected yyyy-MM-dd HH:mm:ss)",
        START.problemWith("2021-02-29 10:00:00"));
    assertEquals(
        "'xml' //call_log/start_time '"
            + "9".repeat(61)
            + "...' is not a valid timestamp"
            + " (expected yyyy-MM-dd HH:mm:ss)",
        START.problemWith("9".repeat(65)));
    assertNull(START.withPattern("yyyy-MM-dd'T'HH:mm:ssX").problemWith("2020-03-04T13:15:12Z"));
  }

  @Test
  public void timestampInAnyPatternOfTheSourcesSqlUnlessTheRuleHasItsOwn() {
    String iso = "yyyy-MM-dd'T'HH:mm:ssX";
    FieldRule bothFormats = START.withSqlPatterns(List.of(Timestamps.DEFAULT_PATTERN, iso));
    assertNull(bothFormats.problemWith("2020-03-04 13:15:12"));
    assertNull(bothFormats.problemWith("2020-03-04T13:15:12Z"));
    assertEquals(
        "'xml' //call_log/start_time '2020-03-04T13:15' is not a valid timestamp"
            + " (expected yyyy-MM-dd HH:mm:ss or yyyy-MM-dd'T'HH:mm:ssX)",
        bothFormats.problemWith("2020-03-04T13:15"));
    FieldRule own = START.withPattern("dd.MM.yyyy HH:mm").withSqlPatterns(List.of(iso));
    assertEquals(List.of("dd.MM.yyyy HH:mm"), own.patterns());
    assertEquals(
        "'xml' //call_log/start_time '2020-03-04T13:15:12Z' is not a valid timestamp"
            + " (expected dd.MM.yyyy HH:mm)",
        own.problemWith("2020-03-04T13:15:12Z"));
  }

  @Test
  public void nonNegativeIntFromTextOrNumber() {
    assertNull(SECONDS.problemWith(" +0012 "));
    assertNull(SECONDS.problemWith(2147483647));
    assertEquals(
        "'xml' //call_log/call_time_seconds 'twelve' is not a whole number",
        SECONDS.problemWith("twelve"));
    assertEquals(
        "'xml' //call_log/call_time_seconds is -5; it must be 0 or more",
        SECONDS.problemWith("-5"));
    assertEquals(
        "'xml' //call_log/call_time_seconds is 9223372036854775807, larger than 2147483647",
        SECONDS.problemWith("123456789012345678901234567890"));
  }
}
