package dev.customer360.transforms;

import dev.customer360.transforms.values.Engagement;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Puts event-time engagements into fixed windows ({@code --window}) that accept data up to {@code
 * --allowedLateness} after the watermark passes their end.
 */
public final class WindowEngagements
    extends PTransform<PCollection<Engagement>, PCollection<Engagement>> {
  private final Duration window;
  private final Duration allowedLateness;

  public WindowEngagements(Duration window, Duration allowedLateness) {
    this.window = window;
    this.allowedLateness = allowedLateness;
  }

  @Override
  public PCollection<Engagement> expand(PCollection<Engagement> engagements) {
    return engagements.apply(
        "FixedWindows",
        Window.<Engagement>into(FixedWindows.of(window))
            .withAllowedLateness(allowedLateness)
            .discardingFiredPanes());
  }

  /** The start of the fixed window holding {@code millis}: aligned to the epoch, as Beam's. */
  public static long startOf(long millis, long size) {
    return WindowClosing.windowStart(millis, size);
  }
}
