package dev.customer360.transforms;

import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.CustomerProfileCoder;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The customer 360: per {@code user_id} and window, what the customer did (see {@link
 * CustomerProfile} for the fields). Input: deduplicated engagements in fixed windows ({@link
 * WindowEngagements}).
 *
 * <p>On a stream, each window fires early every {@code updateEvery} of processing time while data
 * arrives, on time when the watermark passes its end, and once per late engagement within the
 * allowed lateness, and a last time, marked final, when the window closes (end + allowed lateness).
 * Panes accumulate, so every firing is the complete current profile: sinks upsert it by {@code
 * (user_id, window_start)}.
 *
 * <p>A bounded input is complete, so it gets one final profile per customer and window, computed in
 * one grouping pass per shard (on the DirectRunner a group per customer and window costs a bundle
 * each, which made batch runs over many customers crawl), or, with {@code shards = 0}, by one
 * combine per customer and window (runners with a real shuffle: Flink).
 */
public final class BuildCustomerProfiles
    extends PTransform<PCollection<Engagement>, PCollection<CustomerProfile>> {
  private final Duration updateEvery;
  private final int shards;

  public BuildCustomerProfiles(Duration updateEvery, int shards) {
    this.updateEvery = updateEvery;
    this.shards = shards;
  }

  @Override
  public PCollection<CustomerProfile> expand(PCollection<Engagement> engagements) {
    PCollection<CustomerProfile> profiles =
        engagements.isBounded() == PCollection.IsBounded.BOUNDED
            ? finalProfiles(engagements)
            : firingProfiles(engagements);
    return profiles.setCoder(CustomerProfileCoder.of());
  }

  private PCollection<CustomerProfile> firingProfiles(PCollection<Engagement> engagements) {
    Duration allowedLateness = engagements.getWindowingStrategy().getAllowedLateness();
    return engagements
        .apply(
            "KeyByCustomer", WithKeys.of(Engagement::userId).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), EngagementCoder.of()))
        .apply(
            "FireEarlyOnTimeAndLate",
            Window.<KV<String, Engagement>>configure()
                .triggering(
                    AfterWatermark.pastEndOfWindow()
                        .withEarlyFirings(
                            AfterProcessingTime.pastFirstElementInPane().plusDelayOf(updateEvery))
                        .withLateFirings(AfterPane.elementCountAtLeast(1)))
                // FIRE_ALWAYS: every customer and window ends with a pane marked final.
                .withAllowedLateness(allowedLateness, Window.ClosingBehavior.FIRE_ALWAYS)
                .accumulatingFiredPanes())
        .apply("SumPerCustomer", Combine.perKey(new ProfileFn()))
        .apply("KeyProfileByWindow", ParDo.of(new FinishProfileFn()));
  }

  private PCollection<CustomerProfile> finalProfiles(PCollection<Engagement> engagements) {
    if (shards == 0) {
      // One combine per customer and window: runners with a real shuffle (Flink) pre-combine and
      // spill to disk. Output in the global window, as the shard grouping below gives it.
      return engagements
          .apply(
              "KeyByCustomer",
              WithKeys.of(Engagement::userId).withKeyType(TypeDescriptors.strings()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), EngagementCoder.of()))
          .apply("SumPerCustomerAndWindow", Combine.perKey(new ProfileFn()))
          .apply("FinishFinalProfiles", ParDo.of(new FinishFinalProfileFn()))
          .setCoder(CustomerProfileCoder.of())
          .apply(
              "IntoGlobalWindow",
              Window.<CustomerProfile>into(new GlobalWindows())
                  .withTimestampCombiner(TimestampCombiner.EARLIEST));
    }
    int shards = this.shards;
    return engagements
        .apply("KeyByShardAndWindow", ParDo.of(new KeyByShardAndWindowFn(shards)))
        .setCoder(
            KvCoder.of(
                VarIntCoder.of(), KvCoder.of(IntervalWindow.getCoder(), EngagementCoder.of())))
        .apply(
            "IntoGlobalWindow",
            Window.<KV<Integer, KV<IntervalWindow, Engagement>>>into(new GlobalWindows())
                .withTimestampCombiner(TimestampCombiner.EARLIEST))
        .apply("PackPerShard", ParDo.of(new PackPerShard<>(WINDOWED_ENGAGEMENT)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
        .apply("GroupByShard", GroupByKey.create())
        .apply("SumPerCustomerAndWindow", ParDo.of(new ProfilesOfShardFn()));
  }

  /** Folds engagements into a profile. */
  static final class ProfileFn
      extends Combine.CombineFn<Engagement, CustomerProfile, CustomerProfile> {
    @Override
    public CustomerProfile createAccumulator() {
      return new CustomerProfile();
    }

    @Override
    public CustomerProfile addInput(CustomerProfile profile, Engagement engagement) {
      return profile.add(engagement);
    }

    @Override
    public CustomerProfile mergeAccumulators(Iterable<CustomerProfile> profiles) {
      CustomerProfile merged = new CustomerProfile();
      profiles.forEach(merged::merge);
      return merged;
    }

    @Override
    public CustomerProfile extractOutput(CustomerProfile profile) {
      return profile;
    }

    @Override
    public Coder<CustomerProfile> getAccumulatorCoder(
        CoderRegistry registry, Coder<Engagement> inputCoder) {
      return CustomerProfileCoder.of();
    }
  }

  /** Names a summed profile by customer, window and firing. */
  static final class FinishProfileFn extends DoFn<KV<String, CustomerProfile>, CustomerProfile> {
    @ProcessElement
    public void process(
        @Element KV<String, CustomerProfile> summed,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<CustomerProfile> out) {
      IntervalWindow w = (IntervalWindow) window;
      out.output(
          summed
              .getValue()
              .finish(summed.getKey(), w.start(), w.end(), timing(pane), pane.isLast()));
    }

    private static CustomerProfile.Pane timing(PaneInfo pane) {
      switch (pane.getTiming()) {
        case EARLY:
          return CustomerProfile.Pane.EARLY;
        case ON_TIME:
          return CustomerProfile.Pane.ON_TIME;
        case LATE:
          return CustomerProfile.Pane.LATE;
        default:
          return CustomerProfile.Pane.UNKNOWN;
      }
    }
  }

  /** Batch: the one profile of a customer and window, final. */
  static final class FinishFinalProfileFn
      extends DoFn<KV<String, CustomerProfile>, CustomerProfile> {
    @ProcessElement
    public void process(
        @Element KV<String, CustomerProfile> summed,
        BoundedWindow window,
        OutputReceiver<CustomerProfile> out) {
      IntervalWindow w = (IntervalWindow) window;
      out.output(
          summed
              .getValue()
              .finish(summed.getKey(), w.start(), w.end(), CustomerProfile.Pane.ON_TIME, true));
    }
  }

  /** Batch: remembers each engagement's window before the shard grouping drops windows. */
  static final class KeyByShardAndWindowFn
      extends DoFn<Engagement, KV<Integer, KV<IntervalWindow, Engagement>>> {
    private final int shards;

    KeyByShardAndWindowFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(
        @Element Engagement e,
        BoundedWindow window,
        OutputReceiver<KV<Integer, KV<IntervalWindow, Engagement>>> out) {
      out.output(
          KV.of(DeduplicateEngagements.shardOf(e, shards), KV.of((IntervalWindow) window, e)));
    }
  }

  private static final Coder<KV<IntervalWindow, Engagement>> WINDOWED_ENGAGEMENT =
      KvCoder.of(IntervalWindow.getCoder(), EngagementCoder.of());

  /** Batch: every customer-and-window profile of one shard's packed group, final. */
  static final class ProfilesOfShardFn
      extends DoFn<KV<Integer, Iterable<byte[]>>, CustomerProfile> {
    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<byte[]>> shard, OutputReceiver<CustomerProfile> out) {
      Map<KV<String, IntervalWindow>, CustomerProfile> profiles = new HashMap<>();
      PackPerShard.unpack(
          shard.getValue(),
          WINDOWED_ENGAGEMENT,
          e ->
              profiles
                  .computeIfAbsent(
                      KV.of(e.getValue().userId(), e.getKey()), k -> new CustomerProfile())
                  .add(e.getValue()));
      profiles.forEach(
          (key, profile) -> {
            IntervalWindow w = key.getValue();
            // The group's timestamp is its earliest element's, so this never moves time backwards.
            out.outputWithTimestamp(
                profile.finish(
                    key.getKey(), w.start(), w.end(), CustomerProfile.Pane.ON_TIME, true),
                w.maxTimestamp());
          });
    }
  }
}
