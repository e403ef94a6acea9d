package dev.customer360.transforms;

import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.SetState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Emits each {@code event_id} once per window: re-deliveries of the same engagement, in any order
 * and at any lateness the window still accepts, are dropped and counted ({@code
 * duplicates_dropped}).
 *
 * <p>State is keyed by a shard of the event id ({@code hash mod shards}), not by the id itself: a
 * key per event makes the DirectRunner pay a bundle per event, while a few shards keep the work
 * parallel on Flink. Each shard keeps the ids it has seen in the current window and an event-time
 * timer clears them once the window can no longer receive data (its end plus the allowed lateness),
 * so state does not grow with the length of the stream.
 */
public final class DeduplicateEngagements
    extends PTransform<PCollection<Engagement>, PCollection<Engagement>> {
  public static final int DEFAULT_SHARDS = 16;

  private final int shards;

  public DeduplicateEngagements(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("--dedupShards must be at least 1, got " + shards);
    }
    this.shards = shards;
  }

  @Override
  public PCollection<Engagement> expand(PCollection<Engagement> engagements) {
    Duration allowedLateness = engagements.getWindowingStrategy().getAllowedLateness();
    int shards = this.shards;
    return engagements
        .apply(
            "KeyByShard",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.integers(), TypeDescriptor.of(Engagement.class)))
                .via((Engagement e) -> KV.of(Math.floorMod(e.eventId().hashCode(), shards), e)))
        .setCoder(KvCoder.of(VarIntCoder.of(), EngagementCoder.of()))
        .apply("DropSeenEventIds", ParDo.of(new DropSeenFn(allowedLateness)));
  }

  /** Per shard and window: pass an event the first time its id is seen. */
  static final class DropSeenFn extends DoFn<KV<Integer, Engagement>, Engagement> {
    private final Duration allowedLateness;
    private final Counter duplicates =
        Metrics.counter(DeduplicateEngagements.class, "duplicates_dropped");
    private final Counter released =
        Metrics.counter(DeduplicateEngagements.class, "dedup_state_released");

    @StateId("seen")
    private final StateSpec<SetState<String>> seenSpec = StateSpecs.set(StringUtf8Coder.of());

    @TimerId("expiry")
    private final TimerSpec expirySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    DropSeenFn(Duration allowedLateness) {
      this.allowedLateness = allowedLateness;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Engagement> element,
        BoundedWindow window,
        @StateId("seen") SetState<String> seen,
        @TimerId("expiry") Timer expiry,
        OutputReceiver<Engagement> out) {
      Engagement engagement = element.getValue();
      if (seen.addIfAbsent(engagement.eventId()).read()) {
        // The last moment this window accepts data; state is useless after it.
        expiry.set(window.maxTimestamp().plus(allowedLateness));
        out.output(engagement);
      } else {
        duplicates.inc();
      }
    }

    @OnTimer("expiry")
    public void onExpiry(@StateId("seen") SetState<String> seen) {
      seen.clear();
      released.inc();
    }
  }
}
