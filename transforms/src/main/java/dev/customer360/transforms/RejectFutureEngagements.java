package dev.customer360.transforms;

import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.JsonLines;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Engagements dated more than {@code maxFutureSkew} after their reference time go to {@link
 * #FUTURE} as dead letters whose error starts {@code future:}; the rest to {@link #ACCEPTED}. Such
 * a record (a clock or data-entry error, e.g. {@code 9999-12-31}) would otherwise hold dedup state
 * until the end of time and, on a stream, make every real event look late.
 *
 * <p>The reference time is when the record was written, when the read knows it: the Kafka read
 * stamps a record that claims a far-future time with its Kafka record timestamp (real events keep
 * their event time, which is never after itself). Records without a stamp (files) are judged
 * against {@code runStart}, captured once when the job was built.
 */
public final class RejectFutureEngagements
    extends PTransform<PCollection<Engagement>, PCollectionTuple> {
  public static final TupleTag<Engagement> ACCEPTED = new TupleTag<Engagement>() {};
  public static final TupleTag<DeadLetter> FUTURE = new TupleTag<DeadLetter>() {};

  private final Duration maxFutureSkew;
  private final String skewSetting;
  private final Instant runStart;

  /**
   * @param skewSetting the setting that gave {@code maxFutureSkew}, named in the dead letters'
   *     reason as what to raise if such times are real
   */
  public RejectFutureEngagements(Duration maxFutureSkew, String skewSetting, Instant runStart) {
    this.maxFutureSkew = maxFutureSkew;
    this.skewSetting = skewSetting;
    this.runStart = runStart;
  }

  @Override
  public PCollectionTuple expand(PCollection<Engagement> engagements) {
    return engagements.apply(
        "CheckNotInTheFuture",
        ParDo.of(new CheckFn(maxFutureSkew, skewSetting, runStart))
            .withOutputTags(ACCEPTED, TupleTagList.of(FUTURE)));
  }

  static final class CheckFn extends DoFn<Engagement, Engagement> {
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Duration maxFutureSkew;
    private final String skewSetting;
    private final Instant runStart;
    private final Counter future =
        Metrics.counter(RejectFutureEngagements.class, MetricNames.FUTURE_EVENTS);

    CheckFn(Duration maxFutureSkew, String skewSetting, Instant runStart) {
      this.maxFutureSkew = maxFutureSkew;
      this.skewSetting = skewSetting;
      this.runStart = runStart;
    }

    @ProcessElement
    public void process(
        @Element Engagement e, @Timestamp Instant stamped, MultiOutputReceiver out) {
      boolean written = stamped.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE);
      Instant reference = written ? stamped : runStart;
      if (!e.engagementDatetime().isAfter(reference.plus(maxFutureSkew))) {
        out.get(ACCEPTED).output(e);
        return;
      }
      future.inc();
      String error =
          "future: engagement_datetime "
              + format(e.engagementDatetime())
              + " UTC is more than "
              + skewSetting
              + "="
              + maxFutureSkew
              + " after "
              + (written
                  ? "the time the record was written (its Kafka timestamp) "
                  : "the run's start ")
              + format(reference)
              + " UTC; correct the time at the record's producer (a wrong clock or a placeholder"
              + " date) and replay it, or raise "
              + skewSetting
              + " if such times are real";
      out.get(FUTURE)
          .output(
              DeadLetter.of(
                  DeadLetter.Stage.FUTURE, e.deadLetterSource(), error, JsonLines.engagement(e)));
    }

    private static String format(Instant t) {
      return TIME.format(java.time.Instant.ofEpochMilli(t.getMillis()));
    }
  }
}
