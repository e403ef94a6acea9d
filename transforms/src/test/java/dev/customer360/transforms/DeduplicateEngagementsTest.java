package dev.customer360.transforms;

import static org.junit.Assert.assertEquals;

import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import dev.customer360.transforms.values.EngagementConflict;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Dedup semantics, one test per timing case (1 h windows, 1 h allowed lateness): a window that
 * starts at 10:00 ends at 11:00 and closes at 12:00.
 */
@RunWith(JUnit4.class)
public class DeduplicateEngagementsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final Duration HOUR = Duration.standardHours(1);
  private static final Instant BASE = TestRecords.BASE;

  private static Engagement call(String user, int minute) {
    return TestRecords.call(user, minute);
  }

  private static TimestampedValue<Engagement> at(Engagement e) {
    return TimestampedValue.of(e, e.engagementDatetime());
  }

  private static DeduplicateEngagements dedup() {
    return new DeduplicateEngagements(HOUR, HOUR, 4);
  }

  @Test
  public void streamEmitsAtOnceCorrectsWhenALongerDeliveryArrivesAndEndsWhereBatchDoes() {
    List<Engagement> deliveries = TestRecords.conflictingDeliveries();
    Engagement first = deliveries.get(0);
    Engagement longest = deliveries.get(2);
    TestStream<Engagement> stream =
        TestStream.create(EngagementCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(at(deliveries.get(0)), at(deliveries.get(1)))
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(50)))
            .addElements(at(deliveries.get(2)), at(deliveries.get(3)))
            // After the window's end, before it closes: still compared, still counted.
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(90)))
            .addElements(at(deliveries.get(4)))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = pipeline.apply(stream).apply(dedup());
    PAssert.that(out.get(DeduplicateEngagements.UNIQUE))
        .containsInAnyOrder(first, longest.replacing(60));
    PAssert.that(out.get(DeduplicateEngagements.CONFLICTS))
        .containsInAnyOrder(EngagementConflict.of(longest, 30), EngagementConflict.of(longest, 60));
    PAssert.that(out.get(DeduplicateEngagements.LATE)).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(2, Metrics.counter(result, DeduplicateEngagements.class, "duplicates_dropped"));
    assertEquals(
        2, Metrics.counter(result, DeduplicateEngagements.class, "conflicting_duplicates"));
    assertEquals(
        1, Metrics.counter(result, DeduplicateEngagements.class, "engagement_corrections"));
  }

  @Test
  public void onTimeAndOutOfOrderDuplicatesComeOutOnce() {
    Engagement a = call("a", 30);
    Engagement b = call("b", 10);
    TestStream<Engagement> stream =
        TestStream.create(EngagementCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(at(a), at(b), at(a))
            .addElements(at(b))
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(50)))
            .addElements(at(a))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = pipeline.apply(stream).apply(dedup());
    PAssert.that(out.get(DeduplicateEngagements.UNIQUE)).containsInAnyOrder(a, b);
    PAssert.that(out.get(DeduplicateEngagements.LATE)).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(3, Metrics.counter(result, DeduplicateEngagements.class, "duplicates_dropped"));
  }

  @Test
  public void duplicateArrivingLateButWithinAllowedLatenessIsStillDropped() {
    Engagement a = call("a", 5);
    Engagement newButLate = call("n", 10);
    TestStream<Engagement> stream =
        TestStream.create(EngagementCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(at(a))
            // Past the window's end (11:00), before it closes (12:00).
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(90)))
            .addElements(at(a), at(newButLate))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = pipeline.apply(stream).apply(dedup());
    PAssert.that(out.get(DeduplicateEngagements.UNIQUE)).containsInAnyOrder(a, newButLate);
    PAssert.that(out.get(DeduplicateEngagements.LATE)).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, Metrics.counter(result, DeduplicateEngagements.class, "duplicates_dropped"));
  }

  @Test
  public void eventsAfterTheWindowClosedAreLateNotEmittedAndStateWasReleased() {
    Engagement a = call("a", 5);
    Engagement tooLate = call("t", 20);
    TestStream<Engagement> stream =
        TestStream.create(EngagementCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(at(a))
            // Past 12:00: the 10:00 window is closed and its ids are released.
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(150)))
            .addElements(at(tooLate), at(a))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = pipeline.apply(stream).apply(dedup());
    PAssert.that(out.get(DeduplicateEngagements.UNIQUE)).containsInAnyOrder(a);
    PAssert.that(out.get(DeduplicateEngagements.LATE)).containsInAnyOrder(tooLate, a);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(2, Metrics.counter(result, DeduplicateEngagements.class, "late_events"));
    assertEquals(1, Metrics.counter(result, DeduplicateEngagements.class, "dedup_ids_released"));
  }

  @Test
  public void longStreamReleasesStateWindowByWindow() {
    // 48 windows, 20 events each, every event delivered twice; the watermark follows the data.
    TestStream.Builder<Engagement> stream =
        TestStream.create(EngagementCoder.of()).advanceWatermarkTo(BASE);
    List<Engagement> all = new ArrayList<>();
    for (int hour = 0; hour < 48; hour++) {
      List<TimestampedValue<Engagement>> batch = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Engagement e = call("u" + i, hour * 60 + i);
        all.add(e);
        batch.add(at(e));
        batch.add(at(e));
      }
      stream =
          stream
              .addElements(
                  batch.get(0), batch.subList(1, batch.size()).toArray(new TimestampedValue[0]))
              .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(hour * 60 + 59)));
    }
    PCollectionTuple out = pipeline.apply(stream.advanceWatermarkToInfinity()).apply(dedup());
    PAssert.that(out.get(DeduplicateEngagements.UNIQUE)).containsInAnyOrder(all);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(960, Metrics.counter(result, DeduplicateEngagements.class, "duplicates_dropped"));
    assertEquals(960, Metrics.counter(result, DeduplicateEngagements.class, "dedup_ids_released"));
    // While the stream ran, no shard ever held more than the ids of the windows still open
    // (about two hours of data: 40 ids over 4 shards), not the 960 of the whole stream.
    long maxLive = Metrics.distributionMax(result, DeduplicateEngagements.class, "dedup_live_ids");
    org.junit.Assert.assertTrue("max live ids " + maxLive, maxLive > 0 && maxLive <= 40);
  }

  @Test
  public void closingTimeIsWindowEndPlusLateness() {
    Instant inWindow = Instant.parse("2020-03-04T10:59:59.999Z");
    assertEquals(
        Instant.parse("2020-03-04T11:59:59.999Z").getMillis(),
        DeduplicateEngagements.closingTime(inWindow, HOUR, HOUR));
    assertEquals(
        Instant.parse("2020-03-04T12:59:59.999Z").getMillis(),
        DeduplicateEngagements.closingTime(inWindow.plus(1), HOUR, HOUR));
  }
}
