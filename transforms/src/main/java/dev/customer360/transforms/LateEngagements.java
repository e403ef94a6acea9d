package dev.customer360.transforms;

import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.JsonLines;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/** Engagements that arrived after their window closed, as dead letters with reason {@code late}. */
public final class LateEngagements {
  private LateEngagements() {}

  /**
   * Late engagements as dead letters. Their {@code source} is the raw source the engagement came
   * from (its type when that is not known) and their payload the engagement's JSON. The reason
   * names {@code latenessSetting}, the setting that gave {@code allowedLateness}, as what to raise.
   */
  public static MapElements<Engagement, DeadLetter> toDeadLetters(
      Duration allowedLateness, String latenessSetting) {
    String reason =
        "late: the engagement arrived after its window closed (window end + "
            + latenessSetting
            + "="
            + allowedLateness
            + "); raise "
            + latenessSetting
            + " to accept events this late, or replay its dead letter into a batch run, where"
            + " nothing is late";
    return MapElements.into(TypeDescriptor.of(DeadLetter.class))
        .via(
            (Engagement e) ->
                DeadLetter.of(
                    DeadLetter.Stage.LATE, e.deadLetterSource(), reason, JsonLines.engagement(e)));
  }
}
