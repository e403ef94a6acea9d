package dev.customer360.transforms;

import static org.junit.Assert.assertEquals;

import java.time.ZoneId;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Event time read from raw records, as standardization will read it. */
@RunWith(JUnit4.class)
public class RawEventTimeTest {
  private static final ZoneId TALLINN = ZoneId.of("Europe/Tallinn");

  @Test
  public void zonelessTimestampsAreReadInTheSourceTimeZone() {
    RawEventTime time = new RawEventTime(StandardSources.CLICKSTREAM, TALLINN);
    assertEquals(
        Instant.parse("2020-07-01T09:00:00Z"),
        time.apply(TestRecords.clickstream("u", "2020-07-01 12:00:00", "s", 1)));
  }

  @Test
  public void timestampsWithTheirOwnOffsetKeepIt() {
    RawEventTime time = new RawEventTime(StandardizeSourceTest.POS_TRANSACTION, TALLINN);
    assertEquals(
        Instant.parse("2020-11-16T14:32:19Z"),
        time.apply(
            "{\"created_at\": \"2020-11-16T14:32:19.000Z\", \"user_id\": \"u\","
                + " \"transaction_id\": \"tx-1\"}"));
  }

  @Test
  public void unreadableTimeIsUnknown() {
    RawEventTime time = new RawEventTime(StandardSources.CLICKSTREAM, TALLINN);
    assertEquals(RawEventTime.UNKNOWN, time.apply("not json"));
  }
}
