package dev.customer360.transforms;

import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.RawRecord;
import dev.customer360.transforms.values.RawRecordCoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Raw records shared by the tests: the seed's own examples and variations of them. */
public final class TestRecords {
  /** Raw records of unknown origin, as a sample or a test has them. */
  public static Create.Values<RawRecord> records(String... lines) {
    List<RawRecord> records = new ArrayList<>();
    for (String line : lines) {
      records.add(RawRecord.of(line));
    }
    return Create.of(records).withCoder(RawRecordCoder.of());
  }

  /** The start of the 1 h window the dedup and customer-360 tests use. */
  public static final Instant BASE = Instant.parse("2020-03-04T10:00:00Z");

  /** A 60-second sales call of {@code user}, {@code minute} minutes after {@link #BASE}. */
  public static Engagement call(String user, int minute) {
    return Engagement.of(
        user,
        BASE.plus(Duration.standardMinutes(minute)),
        "sales call",
        "call-" + user + minute,
        60);
  }

  /** Five deliveries of one call: 60, 30, 90, 90 and 60 seconds; the 90-second one is kept. */
  public static List<Engagement> conflictingDeliveries() {
    Engagement first = call("a", 5);
    return List.of(
        first, first.withSeconds(30), first.withSeconds(90), first.withSeconds(90), first);
  }

  /** The one element of {@code all} (a PAssert's view of an output): fails if there are more. */
  public static <T> T onlyOne(Iterable<T> all) {
    List<T> list = new ArrayList<>();
    all.forEach(list::add);
    org.junit.Assert.assertEquals(list.toString(), 1, list.size());
    return list.get(0);
  }

  private TestRecords() {}

  public static final String USER = "4433a94b-12c5-4397-8837-3eedf11e78e6";
  public static final String CALL_ID = "367e5d7e-a3e6-4d27-a5c7-35706e9dca9d";
  public static final String SITE_ID = "wj32-gao1-4w1o-iqp4";

  /** The seed's call log record. */
  public static final String SEED_CALL_LOG =
      "{\"log_datatime\": \"2020-03-04 13:19:22\", \"xml\": \"<call_log><activity_id>701C</activity_id>"
          + "<call_id>367e5d7e-a3e6-4d27-a5c7-35706e9dca9d</call_id>"
          + "<user_id>4433a94b-12c5-4397-8837-3eedf11e78e6</user_id>"
          + "<start_time>2020-03-04 13:15:12</start_time><end_time>2020-03-04 13:19:22</end_time>"
          + "<call_time_seconds>207</call_time_seconds><from_phone_number>+37277774841</from_phone_number>"
          + "<to_phone_number>+37249234343</to_phone_number><outcome>answered</outcome>"
          + "<has_recording>false</has_recording></call_log>\"}";

  /** The seed's clickstream record. */
  public static final String SEED_CLICKSTREAM =
      "{\"event_timestamp\": \"2020-11-16 14:32:19\", \"user_id\": \"4433a94b-12c5-4397-8837-3eedf11e78e6\","
          + " \"site_id\": \"wj32-gao1-4w1o-iqp4\", \"pages_visited\": 8, \"total_seconds_on_site\": 426,"
          + " \"avg_percent_viewed\": 28.198543}";

  /** A call log whose XML is {@code xml} (JSON-escaped here). */
  public static String callLog(String xml) {
    return "{\"log_datatime\": \"2020-03-04 13:19:22\", \"xml\": \""
        + xml.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n")
        + "\"}";
  }

  /** A call log record with the given fields. */
  public static String callLog(String user, String start, String callId, String seconds) {
    return callLog(
        "<call_log><call_id>"
            + callId
            + "</call_id><user_id>"
            + user
            + "</user_id><start_time>"
            + start
            + "</start_time><call_time_seconds>"
            + seconds
            + "</call_time_seconds></call_log>");
  }

  /** A clickstream record with the given fields. */
  public static String clickstream(String user, String time, String site, int seconds) {
    return "{\"event_timestamp\": \""
        + time
        + "\", \"user_id\": \""
        + user
        + "\", \"site_id\": \""
        + site
        + "\", \"pages_visited\": 3, \"total_seconds_on_site\": "
        + seconds
        + ", \"avg_percent_viewed\": 50.0}";
  }
}
