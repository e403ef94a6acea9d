package dev.customer360.pipeline;

import dev.customer360.transforms.BuildCustomer360;
import dev.customer360.transforms.BuildCustomerProfiles;
import dev.customer360.transforms.DeduplicateEngagements;
import dev.customer360.transforms.WindowEngagements;
import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import dev.customer360.transforms.values.EngagementConflict;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.TestFlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The keep-rule of {@link DeduplicateEngagements} on Flink, batch (a group per customer and window)
 * and stream (state and timers): the longest delivery is kept, a stream corrects what it emitted,
 * and both write the same conflicts. The DirectRunner's side is {@code DeduplicateEngagementsTest}.
 */
@RunWith(JUnit4.class)
public class KeepRuleOnFlinkIT {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  private static final Duration HOUR = Duration.standardHours(1);
  private static final Instant BASE = Instant.parse("2020-03-04T10:00:00Z");
  private static final Engagement FIRST =
      Engagement.of("a", BASE.plus(Duration.standardMinutes(5)), "sales call", "call-a", 60);
  private static final Engagement LONGEST = FIRST.withSeconds(90);

  /** 60, 30, 90, 90 and 60 seconds: the 90-second delivery is kept. */
  private static final List<Engagement> DELIVERIES =
      List.of(FIRST, FIRST.withSeconds(30), LONGEST, LONGEST, FIRST);

  @Rule public final transient TestPipeline batch = flink(false, 2);

  // One subtask: at two, Flink spreads the test stream's elements round-robin before the keyed
  // state, so two deliveries added together can reach it in either order and the first one
  // emitted is not known in advance.
  @Rule public final transient TestPipeline stream = flink(true, 1);

  private static TestPipeline flink(boolean streaming, int parallelism) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(TestFlinkRunner.class);
    options.setStreaming(streaming);
    options.setParallelism(parallelism);
    return TestPipeline.fromOptions(options);
  }

  private static TimestampedValue<Engagement> at(Engagement e) {
    return TimestampedValue.of(e, e.engagementDatetime());
  }

  private static void assertConflicts(PCollectionTuple out) {
    PAssert.that(out.get(DeduplicateEngagements.CONFLICTS))
        .containsInAnyOrder(EngagementConflict.of(LONGEST, 30), EngagementConflict.of(LONGEST, 60));
  }

  @Test
  public void batchKeepsTheLongestDelivery() {
    TestPipeline pipeline = batch;
    PCollectionTuple out =
        pipeline
            .apply(Create.of(DELIVERIES).withCoder(EngagementCoder.of()))
            .apply(new BuildCustomer360(HOUR, HOUR, Duration.standardMinutes(1), 0));
    PAssert.that(out.get(BuildCustomer360.ENGAGEMENTS)).containsInAnyOrder(LONGEST);
    assertConflicts(out);
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void streamProfileIsFinalOnceWhenTheWatermarkJumpsPastItsWindow() {
    TestPipeline pipeline = this.stream;
    TestStream<Engagement> deliveries =
        TestStream.create(EngagementCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(at(FIRST))
            .advanceWatermarkToInfinity();
    PCollection<CustomerProfile> profiles =
        pipeline
            .apply(deliveries)
            .apply(new WindowEngagements(HOUR, HOUR))
            .apply(new BuildCustomerProfiles(Duration.standardMinutes(1)));
    PAssert.that(
            profiles.apply(
                MapElements.into(TypeDescriptors.strings()).via(p -> p.pane + "/" + p.isFinal)))
        .containsInAnyOrder("ON_TIME/true");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void streamEmitsAtOnceAndCorrectsToTheLongestDelivery() {
    TestPipeline pipeline = this.stream;
    TestStream<Engagement> deliveries =
        TestStream.create(EngagementCoder.of())
            .advanceWatermarkTo(BASE)
            .addElements(at(DELIVERIES.get(0)), at(DELIVERIES.get(1)))
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(50)))
            .addElements(at(DELIVERIES.get(2)), at(DELIVERIES.get(3)))
            .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(90)))
            .addElements(at(DELIVERIES.get(4)))
            .advanceWatermarkToInfinity();
    PCollectionTuple out =
        pipeline.apply(deliveries).apply(new DeduplicateEngagements(HOUR, HOUR, 4));
    PAssert.that(out.get(DeduplicateEngagements.UNIQUE))
        .containsInAnyOrder(FIRST, LONGEST.replacing(60));
    assertConflicts(out);
    pipeline.run().waitUntilFinish();
  }
}
