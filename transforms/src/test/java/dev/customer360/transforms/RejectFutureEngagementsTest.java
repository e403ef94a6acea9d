package dev.customer360.transforms;

import static dev.customer360.transforms.TestRecords.SITE_ID;
import static dev.customer360.transforms.TestRecords.USER;
import static dev.customer360.transforms.TestRecords.clickstream;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;

import dev.customer360.transforms.sql.StandardizationSql;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.RawRecord;
import dev.customer360.transforms.values.RawRecordCoder;
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
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * A record dated far in the future becomes a {@code future:} dead letter before dedup, and later
 * real events are neither lost nor late: in the standardization ({@link FutureCheck}) and in the
 * step for a replay's engagements.
 */
@RunWith(JUnit4.class)
public class RejectFutureEngagementsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final Instant RUN_START = Instant.parse("2026-11-30T12:00:00Z");
  private static final Duration SKEW = Duration.standardMinutes(10);
  private static final Duration HOUR = Duration.standardHours(1);
  private static final String FAR_FUTURE = clickstream(USER, "9999-12-31 23:59:59", SITE_ID, 9);

  private static String click(String time) {
    return clickstream(USER, time, SITE_ID, 60);
  }

  /**
   * Standardize with the future check, deduplicate: the job's steps 2 and 3. A stream takes the
   * streaming dedup alone: the profile step's late firings would add nothing to what is checked
   * here, and the DirectRunner can fail them ("new hold ... is before input watermark") when the
   * watermark moves while it fires a window's timers, about once in a hundred runs.
   */
  private static PCollectionTuple[] standardizeAndDeduplicate(PCollection<RawRecord> raw) {
    PCollectionTuple standardized =
        raw.apply(
            StandardizeSource.of(
                    StandardSources.CLICKSTREAM, StandardizationSql.fromClasspath("clickstream"))
                .withFutureCheck(new FutureCheck(SKEW, "--maxFutureSkew", RUN_START)));
    PCollection<Engagement> accepted = standardized.get(StandardizeSource.ENGAGEMENTS);
    PCollectionTuple deduplicated =
        accepted.isBounded() == PCollection.IsBounded.BOUNDED
            ? accepted.apply(
                new BuildCustomer360(
                    HOUR, HOUR, Duration.standardMinutes(1), DeduplicateEngagements.DEFAULT_SHARDS))
            : accepted.apply(
                new DeduplicateEngagements(HOUR, HOUR, DeduplicateEngagements.DEFAULT_SHARDS));
    return new PCollectionTuple[] {standardized, deduplicated};
  }

  private static PCollection<String> times(PCollection<Engagement> engagements) {
    return engagements.apply(
        "Times",
        MapElements.into(TypeDescriptors.strings())
            .via((Engagement e) -> e.engagementDatetime().toString()));
  }

  private static void assertOneFutureDeadLetter(
      PCollection<DeadLetter> deadLetters, String reference) {
    PAssert.that(deadLetters)
        .satisfies(
            all -> {
              DeadLetter d = TestRecords.onlyOne(all);
              assertEquals("the raw source, not the engagement type", "clickstream", d.source());
              assertThat(d.error(), startsWith("future:"));
              assertThat(d.error(), containsString("9999-12-31 23:59:59"));
              assertThat(d.error(), containsString(reference));
              assertThat(d.error(), containsString("--maxFutureSkew"));
              assertThat(d.payload(), containsString("9999-12-31 23:59:59"));
              return null;
            });
  }

  @Test
  public void inAFileAFarFutureRecordIsDeadLetteredAgainstTheRunStart() {
    PCollection<RawRecord> raw =
        pipeline.apply(
            TestRecords.records(
                click("2020-03-04 13:15:00"),
                FAR_FUTURE,
                // Within the skew of the run start: a clock a little ahead is fine.
                click("2026-11-30 12:09:00"),
                click("2020-03-04 13:20:00")));
    PCollectionTuple[] out = standardizeAndDeduplicate(raw);
    PAssert.that(times(out[1].get(DeduplicateEngagements.UNIQUE)))
        .containsInAnyOrder(
            "2020-03-04T13:15:00.000Z", "2020-03-04T13:20:00.000Z", "2026-11-30T12:09:00.000Z");
    assertOneFutureDeadLetter(out[0].get(StandardizeSource.DEAD_LETTERS), "2026-11-30 12:00:00");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void onAStreamAFarFutureRecordIsDeadLetteredAndLaterEventsAreNotLate() {
    // Stamped as the Kafka read stamps them: real events at their event time, the far-future one
    // at its Kafka record time, which does not move the watermark.
    Instant kafkaTime = Instant.parse("2026-11-30T11:00:00Z");
    TestStream<RawRecord> stream =
        TestStream.create(RawRecordCoder.of())
            .advanceWatermarkTo(Instant.parse("2020-03-04T13:00:00Z"))
            .addElements(
                TimestampedValue.of(
                    RawRecord.of(click("2020-03-04 13:15:00")),
                    Instant.parse("2020-03-04T13:15:00Z")),
                TimestampedValue.of(RawRecord.of(FAR_FUTURE), kafkaTime))
            .advanceWatermarkTo(Instant.parse("2020-03-04T13:19:00Z"))
            .addElements(
                TimestampedValue.of(
                    RawRecord.of(click("2020-03-04 13:20:00")),
                    Instant.parse("2020-03-04T13:20:00Z")),
                TimestampedValue.of(
                    RawRecord.of(click("2020-03-04 14:05:00")),
                    Instant.parse("2020-03-04T14:05:00Z")))
            .advanceWatermarkToInfinity();
    PCollectionTuple[] out = standardizeAndDeduplicate(pipeline.apply(stream));
    PAssert.that(times(out[1].get(DeduplicateEngagements.UNIQUE)))
        .containsInAnyOrder(
            "2020-03-04T13:15:00.000Z", "2020-03-04T13:20:00.000Z", "2020-03-04T14:05:00.000Z");
    PAssert.that(out[1].get(DeduplicateEngagements.LATE)).empty();
    assertOneFutureDeadLetter(out[0].get(StandardizeSource.DEAD_LETTERS), "2026-11-30 11:00:00");
    pipeline.run().waitUntilFinish();
  }

  /** Engagements that come without a raw record (a replay's) get the same rule as a step. */
  @Test
  public void aReplayedEngagementDatedFarInTheFutureIsDeadLetteredAgain() {
    Engagement real = Engagement.from("clickstream", USER, RUN_START, "website", SITE_ID, 60);
    Engagement future =
        Engagement.from(
            "clickstream", USER, Instant.parse("9999-12-31T23:59:59Z"), "website", SITE_ID, 9);
    PCollectionTuple checked =
        pipeline
            .apply(Create.of(real, future))
            .apply(new RejectFutureEngagements(SKEW, "--maxFutureSkew", RUN_START));
    PAssert.that(checked.get(RejectFutureEngagements.ACCEPTED)).containsInAnyOrder(real);
    assertOneFutureDeadLetter(checked.get(RejectFutureEngagements.FUTURE), "2026-11-30 12:00:00");
    pipeline.run().waitUntilFinish();
  }
}
