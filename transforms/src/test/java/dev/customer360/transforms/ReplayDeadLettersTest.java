package dev.customer360.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.DeadLetterCoder;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementTypes;
import dev.customer360.transforms.values.JsonLines;
import dev.customer360.transforms.values.RawRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Each dead letter goes back to the step it failed at, or stays a dead letter saying why. */
@RunWith(JUnit4.class)
public class ReplayDeadLettersTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final Instant FAILED = Instant.parse("2026-12-01T00:00:00Z");
  private static final Engagement CALL =
      Engagement.from(
          "call_log",
          "ann",
          Instant.parse("2020-03-04T10:05:00Z"),
          EngagementTypes.SALES_CALL,
          "call-5",
          60);

  private static DeadLetter raw(DeadLetter.Stage stage, String source, String payload) {
    return DeadLetter.of(stage, source, "bad", payload, FAILED);
  }

  private PCollection<DeadLetter> create(DeadLetter... deadLetters) {
    return pipeline.apply(Create.of(List.of(deadLetters)).withCoder(DeadLetterCoder.of()));
  }

  @Test
  public void rawRecordsGoToTheirSourceAndEngagementsToDedup() {
    String click = TestRecords.SEED_CLICKSTREAM;
    String call = TestRecords.SEED_CALL_LOG;
    DeadLetter late =
        DeadLetter.of(DeadLetter.Stage.LATE, "call_log", "late: ...", JsonLines.engagement(CALL));
    // Written before dead letters had a stage: a late one is known by its reason.
    DeadLetter oldLate =
        DeadLetter.ofColumns(
            "call_log",
            "late: window closed",
            JsonLines.engagement(CALL),
            FAILED,
            true,
            null,
            1,
            null);
    DeadLetter oldRaw =
        DeadLetter.ofColumns("clickstream", "bad", "{}", FAILED, true, null, 1, null);
    DeadLetter rejectedRow =
        DeadLetter.of(
            DeadLetter.Stage.SINK,
            "postgres:customer_engagements",
            "PostgreSQL rejected the row",
            JsonLines.engagement(CALL));
    ReplayDeadLetters replay = new ReplayDeadLetters(StandardSources.ALL);
    PCollectionTuple out =
        create(
                raw(DeadLetter.Stage.RULES, "clickstream", click),
                raw(DeadLetter.Stage.SQL, "call_log", call),
                late,
                oldLate,
                oldRaw,
                rejectedRow)
            .apply(replay);
    PAssert.that(out.get(replay.rawRecordsOf(StandardSources.CLICKSTREAM)))
        .containsInAnyOrder(RawRecord.of(click), RawRecord.of("{}"));
    PAssert.that(out.get(replay.rawRecordsOf(StandardSources.CALL_LOG)))
        .containsInAnyOrder(RawRecord.of(call));
    PAssert.that(out.get(ReplayDeadLetters.ENGAGEMENTS))
        .satisfies(
            engagements -> {
              List<String> ids = new ArrayList<>();
              engagements.forEach(e -> ids.add(e.eventId() + "/" + e.engagementSeconds()));
              String id = CALL.eventId() + "/60";
              assertEquals(List.of(id, id, id), ids);
              return null;
            });
    PAssert.that(out.get(ReplayDeadLetters.NOT_REPLAYED)).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void whatCannotBeSentBackStaysADeadLetterSayingWhy() {
    DeadLetter cut = raw(DeadLetter.Stage.PARSE, "clickstream", "x".repeat(600_000));
    DeadLetter validation = raw(DeadLetter.Stage.VALIDATE, "clickstream", "{user_id=}");
    DeadLetter unknownSource = raw(DeadLetter.Stage.PARSE, "web_orders", "{}");
    DeadLetter profileRow =
        DeadLetter.of(DeadLetter.Stage.SINK, "postgres:customer_profiles", "rejected", "{}");
    DeadLetter notAnEngagement =
        DeadLetter.of(DeadLetter.Stage.LATE, "call_log", "late: ...", "{\"user_id\": \"ann\"}");
    PCollection<DeadLetter> notReplayed =
        create(cut, validation, unknownSource, profileRow, notAnEngagement)
            .apply(new ReplayDeadLetters(StandardSources.ALL))
            .get(ReplayDeadLetters.NOT_REPLAYED);
    PAssert.that(notReplayed)
        .satisfies(
            all -> {
              Map<String, DeadLetter> bySource = new TreeMap<>();
              all.forEach(d -> bySource.put(d.source() + ":" + d.stage().column(), d));
              assertEquals(5, bySource.size());
              // Not tried: carried over as they were.
              assertEquals(cut, bySource.get("clickstream:parse"));
              assertEquals(validation, bySource.get("clickstream:validate"));
              // Tried and refused: one attempt more, and the reason says what to do.
              DeadLetter unknown = bySource.get("web_orders:parse");
              assertEquals(2, unknown.attempts());
              assertThat(unknown.error(), containsString("there is no source 'web_orders'"));
              assertThat(
                  bySource.get("postgres:customer_profiles:sink").error(),
                  containsString("only rejected engagement rows can be replayed"));
              assertThat(
                  bySource.get("call_log:late").error(),
                  containsString("not an engagement's JSON line (no engagement_datetime)"));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aRecordFailingAgainCountsOneMoreThanItsMostAttempts() {
    DeadLetter once = raw(DeadLetter.Stage.RULES, "clickstream", "{\"a\": 1}");
    DeadLetter thrice = once.withAttempts(3);
    PCollection<DeadLetter> replayed =
        pipeline.apply("Replayed", Create.of(once, thrice).withCoder(DeadLetterCoder.of()));
    DeadLetter again =
        DeadLetter.of(DeadLetter.Stage.RULES, "clickstream", "still bad", "{\"a\": 1}");
    DeadLetter afterSql =
        DeadLetter.of(DeadLetter.Stage.VALIDATE, "clickstream", "invalid", "{user_id=}");
    PCollection<DeadLetter> counted =
        pipeline
            .apply("Failures", Create.of(again, afterSql).withCoder(DeadLetterCoder.of()))
            .apply(ReplayDeadLetters.failedAgain(replayed));
    PAssert.that(counted).containsInAnyOrder(again.withAttempts(4), afterSql.withAttempts(2));
    pipeline.run().waitUntilFinish();
  }
}
