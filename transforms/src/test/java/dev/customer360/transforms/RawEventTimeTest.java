package dev.customer360.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.customer360.transforms.sql.StandardizationSql;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Event time read from raw records, as standardization will read it. */
@RunWith(JUnit4.class)
public class RawEventTimeTest {
  private static final ZoneId TALLINN = ZoneId.of("Europe/Tallinn");

  private static RawEventTime clickstreamIn(ZoneId zone) {
    return StandardizeSource.of(
            StandardSources.CLICKSTREAM, StandardizationSql.fromClasspath("clickstream"))
        .withSourceTimeZone(zone)
        .rawEventTime();
  }

  @Test
  public void zonelessTimestampsAreReadInTheSourceTimeZone() {
    assertEquals(
        Instant.parse("2020-07-01T09:00:00Z"),
        clickstreamIn(TALLINN).apply(TestRecords.clickstream("u", "2020-07-01 12:00:00", "s", 1)));
  }

  @Test
  public void timestampsWithTheirOwnOffsetKeepIt() {
    RawEventTime time =
        StandardizeSource.of(
                StandardizeSourceTest.POS_TRANSACTION, StandardizeSourceTest.POS_TRANSACTION_SQL)
            .withSourceTimeZone(TALLINN)
            .rawEventTime();
    assertEquals(
        Instant.parse("2020-11-16T14:32:19Z"),
        time.apply(
            "{\"created_at\": \"2020-11-16T14:32:19.000Z\", \"user_id\": \"u\","
                + " \"transaction_id\": \"tx-1\"}"));
  }

  @Test
  public void everyFormatTheSqlReadsIsRead() {
    RawEventTime time =
        StandardizeSource.of(StandardSources.CLICKSTREAM, StandardizeSourceTest.CLICKSTREAM_OR_ISO)
            .withSourceTimeZone(ZoneOffset.UTC)
            .rawEventTime();
    assertEquals(
        Instant.parse("2020-11-16T14:32:19Z"),
        time.apply(TestRecords.clickstream("u", "2020-11-16 14:32:19", "s", 1)));
    assertEquals(
        Instant.parse("2020-11-16T12:32:19Z"),
        time.apply(TestRecords.clickstream("u", "2020-11-16T14:32:19+02", "s", 1)));
    assertEquals(
        RawEventTime.UNKNOWN, time.apply(TestRecords.clickstream("u", "16.11.2020", "s", 1)));
  }

  @Test
  public void formatsThatCannotShareTheSourceTimeZoneAreRefused() {
    StandardizeSource mixed =
        StandardizeSource.of(StandardSources.CLICKSTREAM, StandardizeSourceTest.CLICKSTREAM_OR_ISO);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> mixed.withSourceTimeZone(TALLINN));
    assertThat(e.getMessage(), containsString("or run with the source time zone UTC"));
  }

  @Test
  public void unreadableTimeIsUnknown() {
    assertEquals(RawEventTime.UNKNOWN, clickstreamIn(TALLINN).apply("not json"));
  }
}
