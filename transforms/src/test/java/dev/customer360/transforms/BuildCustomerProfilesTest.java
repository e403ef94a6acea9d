package dev.customer360.transforms;

import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.CustomerProfile.Pane;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import dev.customer360.transforms.values.EngagementTypes;
import dev.customer360.transforms.values.ProfileAccumulator;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The customer profile, as the chain dedup -> windows -> profile builds it, one test per timing
 * case (1 h windows, 1 h allowed lateness, early updates every minute). The 10:00 window ends at
 * 11:00 and closes at 12:00.
 */
@RunWith(JUnit4.class)
public class BuildCustomerProfilesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final Duration HOUR = Duration.standardHours(1);
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final Instant BASE = Instant.parse("2020-03-04T10:00:00Z");
  private static final IntervalWindow TEN = new IntervalWindow(BASE, HOUR);
  private static final IntervalWindow ELEVEN = new IntervalWindow(BASE.plus(HOUR), HOUR);

  private static Engagement call(String user, int minute, int seconds) {
    return Engagement.of(
        user,
        BASE.plus(Duration.standardMinutes(minute)),
        EngagementTypes.SALES_CALL,
        "call-" + minute,
        seconds);
  }

  private static Engagement visit(String user, int minute, int seconds) {
    return Engagement.of(
        user,
        BASE.plus(Duration.standardMinutes(minute)),
        EngagementTypes.WEBSITE,
        "site-" + minute,
        seconds);
  }

  private static TimestampedValue<Engagement> at(Engagement e) {
    return TimestampedValue.of(e, e.engagementDatetime());
  }

  /**
   * The expected profile, summed here from the engagements (not with the accumulator under test);
   * the tests below have no two calls or visits at the same time (ties: their own test).
   */
  private static CustomerProfile profile(
      IntervalWindow w, Pane pane, boolean isFinal, Engagement... engagements) {
    long seconds = 0;
    long calls = 0;
    long callSeconds = 0;
    long visits = 0;
    long visitSeconds = 0;
    Engagement first = engagements[0];
    Engagement last = engagements[0];
    Engagement lastCall = null;
    Engagement lastVisit = null;
    for (Engagement e : engagements) {
      seconds += e.engagementSeconds();
      first = e.engagementDatetime().isBefore(first.engagementDatetime()) ? e : first;
      last = e.engagementDatetime().isAfter(last.engagementDatetime()) ? e : last;
      if (e.engagementType().equals(EngagementTypes.SALES_CALL)) {
        calls++;
        callSeconds += e.engagementSeconds();
        lastCall =
            lastCall == null || e.engagementDatetime().isAfter(lastCall.engagementDatetime())
                ? e
                : lastCall;
      } else {
        visits++;
        visitSeconds += e.engagementSeconds();
        lastVisit =
            lastVisit == null || e.engagementDatetime().isAfter(lastVisit.engagementDatetime())
                ? e
                : lastVisit;
      }
    }
    return new CustomerProfile(
        first.userId(),
        w.start(),
        w.end(),
        engagements.length,
        seconds,
        calls,
        callSeconds,
        visits,
        visitSeconds,
        first.engagementDatetime(),
        last.engagementDatetime(),
        lastCall == null ? null : lastCall.engagementSourceId(),
        lastVisit == null ? null : lastVisit.engagementSourceId(),
        pane.name(),
        isFinal);
  }

  /**
   * {@code c1}, two minutes later {@code v1} and {@code c1} again, two minutes later the watermark
   * past the 10:00 window's end, then past its closing: two early firings, one on time, one final.
   */
  private static TestStream<Engagement> earlyThenOnTime(Engagement c1, Engagement v1) {
    return TestStream.create(EngagementCoder.of())
        .advanceWatermarkTo(BASE)
        .addElements(at(c1))
        .advanceProcessingTime(Duration.standardMinutes(2))
        .addElements(at(v1), at(c1))
        .advanceProcessingTime(Duration.standardMinutes(2))
        .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(61)))
        .advanceWatermarkToInfinity();
  }

  /** Raw engagements through the production chain: dedup, windows, profiles. */
  private static PCollection<CustomerProfile> profilesOf(PCollection<Engagement> engagements) {
    return profilesOf(engagements, 4);
  }

  private static PCollection<CustomerProfile> profilesOf(
      PCollection<Engagement> engagements, int shards) {
    return engagements
        .apply(new BuildCustomer360(HOUR, HOUR, MINUTE, shards))
        .get(BuildCustomer360.PROFILES);
  }

  @Test
  public void batchGivesOneFinalProfilePerCustomerAndWindowOverDistinctEvents() {
    checkBatchProfiles(4);
  }

  @Test
  public void batchGroupedByCustomerAndWindowGivesTheSameProfiles() {
    checkBatchProfiles(0);
  }

  /** Repeated deliveries, two customers, two windows: the same final profiles for any sharding. */
  private void checkBatchProfiles(int shards) {
    Engagement c1 = call("ann", 5, 100);
    Engagement v1 = visit("ann", 50, 30);
    Engagement c2 = call("ann", 70, 10);
    Engagement b1 = visit("bob", 1, 7);
    PCollection<CustomerProfile> profiles =
        profilesOf(
            pipeline.apply(
                Create.of(List.of(c1, v1, c2, b1, c1, v1, b1)).withCoder(EngagementCoder.of())),
            shards);
    PAssert.that(profiles)
        .containsInAnyOrder(
            profile(TEN, Pane.ON_TIME, true, c1, v1),
            profile(ELEVEN, Pane.ON_TIME, true, c2),
            profile(TEN, Pane.ON_TIME, true, b1));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    org.junit.Assert.assertEquals(
        3, Metrics.counter(result, DeduplicateEngagements.class, "duplicates_dropped"));
  }

  @Test
  public void profileFieldsSumAndPickTheLatest() {
    ProfileAccumulator p = new ProfileAccumulator();
    p.add(call("ann", 5, 100)).add(call("ann", 30, 50)).add(visit("ann", 20, 9));
    org.junit.Assert.assertEquals(3, p.engagements);
    org.junit.Assert.assertEquals(159, p.engagementSeconds);
    org.junit.Assert.assertEquals(2, p.calls);
    org.junit.Assert.assertEquals(150, p.callSeconds);
    org.junit.Assert.assertEquals(1, p.websiteVisits);
    org.junit.Assert.assertEquals(9, p.websiteSeconds);
    org.junit.Assert.assertEquals(BASE.plus(Duration.standardMinutes(5)), p.firstEngagement);
    org.junit.Assert.assertEquals(BASE.plus(Duration.standardMinutes(30)), p.lastEngagement);
    org.junit.Assert.assertEquals("call-30", p.lastCallId);
    org.junit.Assert.assertEquals("site-20", p.lastSiteId);
    // Merging in any order gives the same profile.
    ProfileAccumulator a = new ProfileAccumulator().add(call("ann", 30, 50));
    ProfileAccumulator b =
        new ProfileAccumulator().add(call("ann", 5, 100)).add(visit("ann", 20, 9));
    org.junit.Assert.assertEquals(
        new ProfileAccumulator().merge(a).merge(b).finish("ann", BASE, BASE, Pane.ON_TIME, true),
        new ProfileAccumulator().merge(b).merge(a).finish("ann", BASE, BASE, Pane.ON_TIME, true));
  }

  @Test
  public void twoCallsAtOneTimeGiveTheLargerCallIdInAnyOrder() {
    Instant at = BASE.plus(Duration.standardMinutes(7));
    Engagement a = Engagement.of("ann", at, EngagementTypes.SALES_CALL, "call-a", 10);
    Engagement b = Engagement.of("ann", at, EngagementTypes.SALES_CALL, "call-b", 20);
    // Written by hand from the README's rule ("ties go to the larger id"), not by the accumulator.
    for (ProfileAccumulator p :
        List.of(
            new ProfileAccumulator().add(a).add(b),
            new ProfileAccumulator().add(b).add(a),
            new ProfileAccumulator()
                .merge(new ProfileAccumulator().add(b))
                .merge(new ProfileAccumulator().add(a)),
            new ProfileAccumulator()
                .merge(new ProfileAccumulator().add(a))
                .merge(new ProfileAccumulator().add(b)))) {
      org.junit.Assert.assertEquals("call-b", p.lastCallId);
      org.junit.Assert.assertEquals(2, p.calls);
      org.junit.Assert.assertEquals(30, p.callSeconds);
      org.junit.Assert.assertEquals(at, p.firstEngagement);
      org.junit.Assert.assertEquals(at, p.lastEngagement);
    }
  }

  @Test
  public void aLongerDeliveryCorrectsTheSecondsWithoutCountingTheEngagementTwice() {
    Engagement c1 = call("ann", 5, 100);
    Engagement longer = c1.withSeconds(160);
    TestStream<Engagement> stream =
        TestStream.create(EngagementCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(at(c1))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .addElements(at(longer), at(c1))
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(61)))
            .advanceWatermarkToInfinity();
    PCollection<CustomerProfile> profiles = profilesOf(pipeline.apply(stream));
    PAssert.that(profiles)
        .inOnTimePane(TEN)
        .containsInAnyOrder(profile(TEN, Pane.ON_TIME, false, longer));
    // The same profile a batch over the same three deliveries gives.
    PAssert.that(profiles)
        .inFinalPane(TEN)
        .containsInAnyOrder(profile(TEN, Pane.LATE, true, longer));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void firesEarlyThenOnTimeWithAccumulatingPanes() {
    Engagement c1 = call("ann", 5, 100);
    Engagement v1 = visit("ann", 10, 30);
    PCollection<CustomerProfile> profiles = profilesOf(pipeline.apply(earlyThenOnTime(c1, v1)));
    PAssert.that(profiles)
        .inEarlyPane(TEN)
        .containsInAnyOrder(
            profile(TEN, Pane.EARLY, false, c1), profile(TEN, Pane.EARLY, false, c1, v1));
    PAssert.that(profiles)
        .inOnTimePane(TEN)
        .containsInAnyOrder(profile(TEN, Pane.ON_TIME, false, c1, v1));
    PAssert.that(profiles)
        .inFinalPane(TEN)
        .containsInAnyOrder(profile(TEN, Pane.LATE, true, c1, v1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aSinkThatGroupsTheProfilesAgainGetsEachFiringOnce() {
    // Sinks group what they write (files and the exactly-once Kafka sink by shard). Accumulating
    // panes are how a window's profile grows; a later grouping must not accumulate too, or each
    // of its firings writes every earlier profile of the window again.
    Engagement c1 = call("ann", 5, 100);
    Engagement v1 = visit("ann", 10, 30);
    PCollection<CustomerProfile> regrouped =
        profilesOf(pipeline.apply(earlyThenOnTime(c1, v1)))
            .apply(WithKeys.of("sink"))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), CustomerProfile.coder()))
            .apply(GroupByKey.create())
            .apply(Values.create())
            .apply(Flatten.iterables());
    PAssert.that(regrouped)
        .containsInAnyOrder(
            profile(TEN, Pane.EARLY, false, c1),
            profile(TEN, Pane.EARLY, false, c1, v1),
            profile(TEN, Pane.ON_TIME, false, c1, v1),
            profile(TEN, Pane.LATE, true, c1, v1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void outOfOrderEventsWithinAWindowAreAllCounted() {
    Engagement late1 = call("ann", 50, 1);
    Engagement early1 = call("ann", 2, 2);
    Engagement mid = visit("ann", 30, 3);
    TestStream<Engagement> stream =
        TestStream.create(EngagementCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(at(late1), at(early1))
            .addElements(at(mid))
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(61)))
            .advanceWatermarkToInfinity();
    PCollection<CustomerProfile> profiles = profilesOf(pipeline.apply(stream));
    PAssert.that(profiles)
        .inOnTimePane(TEN)
        .containsInAnyOrder(profile(TEN, Pane.ON_TIME, false, late1, early1, mid));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void lateEngagementWithinLatenessUpdatesTheProfileAndItsDuplicateDoesNot() {
    Engagement c1 = call("ann", 5, 100);
    Engagement lateCall = call("ann", 20, 40);
    TestStream<Engagement> stream =
        TestStream.create(EngagementCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(at(c1))
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(70)))
            // Late (window ended at 11:00) but within the hour of allowed lateness.
            .addElements(at(lateCall))
            .addElements(at(lateCall), at(c1))
            .advanceWatermarkToInfinity();
    PCollection<CustomerProfile> profiles = profilesOf(pipeline.apply(stream));
    PAssert.that(profiles)
        .inOnTimePane(TEN)
        .containsInAnyOrder(profile(TEN, Pane.ON_TIME, false, c1));
    PAssert.that(profiles)
        .inFinalPane(TEN)
        .containsInAnyOrder(profile(TEN, Pane.LATE, true, c1, lateCall));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void engagementBeyondAllowedLatenessIsLateAndNotInAnyProfile() {
    Engagement c1 = call("ann", 5, 100);
    Engagement tooLate = call("ann", 30, 40);
    TestStream<Engagement> stream =
        TestStream.create(EngagementCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(at(c1))
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(130)))
            .addElements(at(tooLate))
            .advanceWatermarkToInfinity();
    PCollectionTuple customer360 =
        pipeline.apply(stream).apply(new BuildCustomer360(HOUR, HOUR, MINUTE, 4));
    PCollection<CustomerProfile> profiles = customer360.get(BuildCustomer360.PROFILES);
    PAssert.that(customer360.get(BuildCustomer360.LATE)).containsInAnyOrder(tooLate);
    // The watermark passed the window's end and its closing in one step: on time and final.
    PAssert.that(profiles)
        .inFinalPane(TEN)
        .containsInAnyOrder(profile(TEN, Pane.ON_TIME, true, c1));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    org.junit.Assert.assertEquals(
        1, Metrics.counter(result, DeduplicateEngagements.class, "late_events"));
  }
}
