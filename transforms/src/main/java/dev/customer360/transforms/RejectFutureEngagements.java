package dev.customer360.transforms;

import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Not yet: passes everything (test first). */
public final class RejectFutureEngagements
    extends PTransform<PCollection<Engagement>, PCollectionTuple> {
  public static final TupleTag<Engagement> ACCEPTED = new TupleTag<Engagement>() {};
  public static final TupleTag<DeadLetter> FUTURE = new TupleTag<DeadLetter>() {};

  public RejectFutureEngagements(Duration maxFutureSkew, Instant runStart) {}

  @Override
  public PCollectionTuple expand(PCollection<Engagement> engagements) {
    return PCollectionTuple.of(ACCEPTED, engagements)
        .and(
            FUTURE,
            PCollectionList.<DeadLetter>empty(engagements.getPipeline())
                .apply(org.apache.beam.sdk.transforms.Flatten.pCollections())
                .setCoder(dev.customer360.transforms.values.DeadLetterCoder.of()));
  }
}
