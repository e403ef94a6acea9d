package dev.customer360.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;

import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import dev.customer360.transforms.values.EngagementTypes;
import dev.customer360.transforms.values.JsonLines;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** A late engagement's dead letter names the raw source it came from, and what to do. */
@RunWith(JUnit4.class)
public class LateEngagementsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void aLateEngagementIsADeadLetterOfItsRawSource() {
    Engagement late =
        Engagement.from(
            "call_log",
            "ann",
            Instant.parse("2020-03-04T10:05:00Z"),
            EngagementTypes.SALES_CALL,
            "call-5",
            60);
    PCollection<DeadLetter> deadLetters =
        pipeline
            .apply(Create.of(late).withCoder(EngagementCoder.of()))
            .apply(LateEngagements.toDeadLetters(Duration.standardHours(1), "the lateness"));
    PAssert.that(deadLetters)
        .satisfies(
            all -> {
              DeadLetter d = TestRecords.onlyOne(all);
              assertEquals("call_log", d.source());
              assertThat(d.error(), startsWith("late:"));
              assertEquals(JsonLines.engagement(late), d.payload());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
