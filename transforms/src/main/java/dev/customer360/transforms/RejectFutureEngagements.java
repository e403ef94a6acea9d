package dev.customer360.transforms;

import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
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
 * against {@code runStart}, captured once when the job was built. The rule is {@link FutureCheck};
 * a source's records get it in {@link StandardizeSource#withFutureCheck}, so this step serves
 * engagements that come from elsewhere (a replay's).
 */
public final class RejectFutureEngagements
    extends PTransform<PCollection<Engagement>, PCollectionTuple> {
  public static final TupleTag<Engagement> ACCEPTED = new TupleTag<Engagement>() {};
  public static final TupleTag<DeadLetter> FUTURE = new TupleTag<DeadLetter>() {};

  private final FutureCheck check;

  /**
   * @param skewSetting the setting that gave {@code maxFutureSkew}, named in the dead letters'
   *     reason as what to raise if such times are real
   */
  public RejectFutureEngagements(Duration maxFutureSkew, String skewSetting, Instant runStart) {
    this(new FutureCheck(maxFutureSkew, skewSetting, runStart));
  }

  public RejectFutureEngagements(FutureCheck check) {
    this.check = check;
  }

  @Override
  public PCollectionTuple expand(PCollection<Engagement> engagements) {
    return engagements.apply(
        "CheckNotInTheFuture",
        ParDo.of(new CheckFn(check)).withOutputTags(ACCEPTED, TupleTagList.of(FUTURE)));
  }

  static final class CheckFn extends DoFn<Engagement, Engagement> {
    private final FutureCheck check;

    CheckFn(FutureCheck check) {
      this.check = check;
    }

    @ProcessElement
    public void process(
        @Element Engagement e, @Timestamp Instant stamped, MultiOutputReceiver out) {
      DeadLetter future = check.reject(e, stamped);
      if (future == null) {
        out.get(ACCEPTED).output(e);
      } else {
        out.get(FUTURE).output(future);
      }
    }
  }
}
