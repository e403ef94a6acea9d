package dev.customer360.io.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class EventTimePolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final Duration DELAY = Duration.standardMinutes(1);
  private static final Duration SKEW = Duration.standardMinutes(10);

  /** Test records are their event time in ISO-8601. */
  private static final SerializableFunction<String, Instant> EVENT_TIME = Instant::parse;

  private static EventTimePolicy policy() {
    return new EventTimePolicy(EVENT_TIME, DELAY, SKEW, Optional.empty(), NOW);
  }

  private static KafkaRecord<String, byte[]> record(String eventTime, Instant written) {
    return new KafkaRecord<>(
        "raw",
        0,
        0,
        written.getMillis(),
        KafkaTimestampType.CREATE_TIME,
        null,
        null,
        eventTime.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A partition with {@code backlog} records left, checked at {@code checkTime}. */
  private static TimestampPolicy.PartitionContext partition(long backlog, Instant checkTime) {
    return new TimestampPolicy.PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return backlog;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return checkTime;
      }
    };
  }

  @Test
  public void aFarFutureRecordDoesNotMoveTheWatermark() {
    EventTimePolicy policy = policy();
    TimestampPolicy.PartitionContext busy = partition(100, NOW);
    policy.getTimestampForRecord(busy, record("2020-03-04T13:15:00Z", NOW));
    Instant poison = policy.getTimestampForRecord(busy, record("9999-12-31T23:59:59Z", NOW));
    policy.getTimestampForRecord(busy, record("2020-03-04T13:20:00Z", NOW));

    // The far-future record is stamped with its Kafka time, which names the reference later.
    assertEquals(NOW, poison);
    assertEquals(Instant.parse("2020-03-04T13:19:00Z"), policy.getWatermark(busy, NOW));
  }

  @Test
  public void theWatermarkNeverPassesProcessingTimeMinusTheDelay() {
    EventTimePolicy policy = policy();
    TimestampPolicy.PartitionContext busy = partition(100, NOW);
    // Within the allowed skew, so accepted, but still ahead of the clock.
    Instant t = policy.getTimestampForRecord(busy, record(NOW.plus(SKEW).toString(), NOW));
    assertEquals(NOW.plus(SKEW), t);
    assertEquals(NOW.minus(DELAY), policy.getWatermark(busy, NOW));
  }

  @Test
  public void aRestoredWatermarkFromTheFarFutureIsCappedAtProcessingTimeMinusTheDelay() {
    EventTimePolicy policy =
        new EventTimePolicy(
            EVENT_TIME, DELAY, SKEW, Optional.of(Instant.parse("9999-12-31T23:58:59Z")), NOW);
    TimestampPolicy.PartitionContext busy = partition(100, NOW);
    policy.getTimestampForRecord(busy, record("2020-03-04T13:20:00Z", NOW));
    assertFalse(policy.getWatermark(busy, NOW).isAfter(NOW.minus(DELAY)));
  }

  @Test
  public void aCaughtUpPartitionFollowsProcessingTimeMinusTheDelay() {
    EventTimePolicy policy = policy();
    policy.getTimestampForRecord(partition(1, NOW), record("2020-03-04T13:20:00Z", NOW));
    policy.getTimestampForRecord(partition(1, NOW), record("9999-12-31T23:59:59Z", NOW));
    Instant later = NOW.plus(Duration.standardMinutes(5));
    assertEquals(later.minus(DELAY), policy.getWatermark(partition(0, later), later));
    // Still behind on records: event time rules.
    assertEquals(
        Instant.parse("2020-03-04T13:19:00Z"), policy.getWatermark(partition(3, later), later));
  }

  @Test
  public void anEmptyPartitionFollowsProcessingTimeAndDoesNotHoldTheJob() {
    // The job's watermark is the least of its partitions': one that never had a record must not
    // keep every window open (a producer that sent a whole topic to one of its partitions).
    EventTimePolicy policy = policy();
    Instant later = NOW.plus(Duration.standardMinutes(5));
    assertEquals(later.minus(DELAY), policy.getWatermark(partition(0, later), later));
    // Its end offset not known yet: nothing is assumed.
    assertEquals(
        org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE,
        policy.getWatermark(partition(-1, later), later));
  }

  @Test
  public void recordsWithoutAReadableTimeDoNotMoveTheWatermark() {
    EventTimePolicy policy =
        new EventTimePolicy(
            value ->
                value.isEmpty()
                    ? org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE
                    : Instant.parse(value),
            DELAY,
            SKEW,
            Optional.empty(),
            NOW);
    TimestampPolicy.PartitionContext busy = partition(100, NOW);
    policy.getTimestampForRecord(busy, record("2020-03-04T13:20:00Z", NOW));
    policy.getTimestampForRecord(busy, record("", NOW));
    assertEquals(Instant.parse("2020-03-04T13:19:00Z"), policy.getWatermark(busy, NOW));
  }
}
