package dev.customer360.transforms;

import static org.junit.Assert.assertEquals;

import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import dev.customer360.transforms.values.EngagementConflict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * A bounded input's one grouping: the keep-rule and its counts, for both groupings (shards for the
 * DirectRunner, customer and window for Flink). The profiles it sums are checked in {@code
 * BuildCustomerProfilesTest}; the stream path in {@code DeduplicateEngagementsTest}.
 */
@RunWith(JUnit4.class)
public class BuildCustomer360Test {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final Duration HOUR = Duration.standardHours(1);
  private static final Instant BASE = TestRecords.BASE;

  private static Engagement call(String user, int minute) {
    return TestRecords.call(user, minute);
  }

  private static BuildCustomer360 customer360(int shards) {
    return new BuildCustomer360(HOUR, HOUR, Duration.standardMinutes(1), shards);
  }

  @Test
  public void batchEmitsEachEventIdOnceWhateverTheOrder() {
    Engagement a = call("a", 5);
    Engagement b = call("b", 65);
    Engagement c = call("c", 5);
    List<Engagement> input = new ArrayList<>(List.of(a, b, c, a, a, b, c, a));
    Collections.shuffle(input, new Random(1));
    PCollectionTuple out =
        pipeline.apply(Create.of(input).withCoder(EngagementCoder.of())).apply(customer360(4));
    PAssert.that(out.get(BuildCustomer360.ENGAGEMENTS)).containsInAnyOrder(a, b, c);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(5, Metrics.counter(result, DeduplicateEngagements.class, "duplicates_dropped"));
  }

  @Test
  public void batchKeepsTheSameDeliveryWhateverTheOrderAndTheGrouping() {
    // Two deliveries of one event (same id) that disagree on the seconds: the longer is kept,
    // by the shard grouping (DirectRunner) and the group per customer and window (Flink) alike.
    Engagement shorter = call("a", 5);
    Engagement longer =
        Engagement.of(
            "a", shorter.engagementDatetime(), "sales call", shorter.engagementSourceId(), 90);
    assertEquals(shorter.eventId(), longer.eventId());
    for (int shards : new int[] {4, 0}) {
      PCollectionTuple out =
          pipeline
              .apply(
                  "Input" + shards,
                  Create.of(List.of(longer, shorter, shorter)).withCoder(EngagementCoder.of()))
              .apply("Dedup" + shards, customer360(shards));
      PAssert.that(out.get(BuildCustomer360.ENGAGEMENTS)).containsInAnyOrder(longer);
    }
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void batchKeepsTheLongestDeliveryAndReportsEachOtherValueAsAConflict() {
    List<Engagement> deliveries = TestRecords.conflictingDeliveries();
    Engagement longest = deliveries.get(2);
    Engagement other = call("b", 10);
    for (int shards : new int[] {4, 0}) {
      List<Engagement> input = new ArrayList<>(deliveries);
      input.add(other);
      input.add(other);
      Collections.shuffle(input, new Random(shards));
      PCollectionTuple out =
          pipeline
              .apply("Input" + shards, Create.of(input).withCoder(EngagementCoder.of()))
              .apply("Dedup" + shards, customer360(shards));
      PAssert.that(out.get(BuildCustomer360.ENGAGEMENTS)).containsInAnyOrder(longest, other);
      PAssert.that(out.get(BuildCustomer360.CONFLICTS))
          .containsInAnyOrder(
              EngagementConflict.of(longest, 30), EngagementConflict.of(longest, 60));
    }
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    // Per run: 90 and 60 again, and b again, are exact; 30 and 60 conflict with the kept 90.
    assertEquals(
        2 * 3, Metrics.counter(result, DeduplicateEngagements.class, "duplicates_dropped"));
    assertEquals(
        2 * 2, Metrics.counter(result, DeduplicateEngagements.class, "conflicting_duplicates"));
  }
}
