package dev.customer360.transforms;

import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.JsonLines;
import java.io.Serializable;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The rule of {@link RejectFutureEngagements}: an engagement dated more than {@code maxFutureSkew}
 * after its reference time becomes a dead letter whose error starts {@code future:}. The reference
 * time is the element's timestamp when the read stamped one (a Kafka record's), else {@code
 * runStart}. {@link StandardizeSource} applies it while it validates, so a batch's records cross
 * one step fewer on their way to dedup.
 */
public final class FutureCheck implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Duration maxFutureSkew;
  private final String skewSetting;
  private final Instant runStart;
  private final Counter future =
      Metrics.counter(RejectFutureEngagements.class, MetricNames.FUTURE_EVENTS);

  /**
   * @param skewSetting the setting that gave {@code maxFutureSkew}, named in the dead letters'
   *     reason as what to raise if such times are real
   * @param runStart the reference time of records the read did not stamp (files)
   */
  public FutureCheck(Duration maxFutureSkew, String skewSetting, Instant runStart) {
    this.maxFutureSkew = maxFutureSkew;
    this.skewSetting = skewSetting;
    this.runStart = runStart;
  }

  /** The dead letter of {@code e}, read with timestamp {@code stamped}; null if it is accepted. */
  DeadLetter reject(Engagement e, Instant stamped) {
    boolean written = stamped.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE);
    Instant reference = written ? stamped : runStart;
    if (!e.engagementDatetime().isAfter(reference.plus(maxFutureSkew))) {
      return null;
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
    return DeadLetter.of(
        DeadLetter.Stage.FUTURE, e.deadLetterSource(), error, JsonLines.engagement(e));
  }

  private static String format(Instant t) {
    return TIME.format(java.time.Instant.ofEpochMilli(t.getMillis()));
  }
}
