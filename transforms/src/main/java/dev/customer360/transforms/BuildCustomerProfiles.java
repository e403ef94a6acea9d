package dev.customer360.transforms;

import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import dev.customer360.transforms.values.ProfileAccumulator;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * A stream's customer 360: per {@code user_id} and window, what the customer did (see {@link
 * CustomerProfile} for the fields). Input: deduplicated engagements in fixed windows ({@link
 * WindowEngagements}); a bounded input's profiles come from {@link BuildCustomer360}.
 *
 * <p>Each window fires early every {@code updateEvery} of processing time while data arrives, on
 * time when the watermark passes its end, and once per late engagement within the allowed lateness,
 * and a last time, marked final, when the window closes (end + allowed lateness). Panes accumulate,
 * so every firing is the complete current profile: sinks upsert it by {@code (user_id,
 * window_start)}.
 */
public final class BuildCustomerProfiles
    extends PTransform<PCollection<Engagement>, PCollection<CustomerProfile>> {
  private final Duration updateEvery;

  public BuildCustomerProfiles(Duration updateEvery) {
    this.updateEvery = updateEvery;
  }

  @Override
  public PCollection<CustomerProfile> expand(PCollection<Engagement> engagements) {
    if (engagements.isBounded() == PCollection.IsBounded.BOUNDED) {
      throw new IllegalArgumentException(
          "BuildCustomerProfiles fires a stream's profiles; a bounded input takes"
              + " BuildCustomer360, which builds them in the grouping that deduplicates");
    }
    return firingProfiles(engagements).setCoder(CustomerProfile.coder());
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
        .apply("KeyProfileByWindow", ParDo.of(new FinishProfileFn()))
        // Each firing is a whole profile. Sinks that group again (files and the exactly-once
        // Kafka sink, by shard) would otherwise inherit the accumulating mode and write every
        // earlier firing of the window again with each new one.
        .apply(
            "EachFiringOnce",
            Window.<CustomerProfile>configure()
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(allowedLateness)
                .discardingFiredPanes());
  }

  /** Folds engagements into a profile. */
  static final class ProfileFn
      extends Combine.CombineFn<Engagement, ProfileAccumulator, ProfileAccumulator> {
    @Override
    public ProfileAccumulator createAccumulator() {
      return new ProfileAccumulator();
    }

    @Override
    public ProfileAccumulator addInput(ProfileAccumulator profile, Engagement engagement) {
      return profile.add(engagement);
    }

    @Override
    public ProfileAccumulator mergeAccumulators(Iterable<ProfileAccumulator> profiles) {
      ProfileAccumulator merged = new ProfileAccumulator();
      profiles.forEach(merged::merge);
      return merged;
    }

    @Override
    public ProfileAccumulator extractOutput(ProfileAccumulator profile) {
      return profile;
    }

    @Override
    public Coder<ProfileAccumulator> getAccumulatorCoder(
        CoderRegistry registry, Coder<Engagement> inputCoder) {
      return ProfileAccumulator.coder();
    }

    @Override
    public Coder<ProfileAccumulator> getDefaultOutputCoder(
        CoderRegistry registry, Coder<Engagement> inputCoder) {
      return ProfileAccumulator.coder();
    }
  }

  /**
   * Names a summed profile by customer, window and firing, and passes one final profile per
   * customer and window. Flink fires the closing pane twice when the watermark jumps past a
   * window's end and its closing time at once (its end-of-window and closing timers each see the
   * window as closed; the DirectRunner hands both timers over together): the second final pane is a
   * repeat, or empty once the first cleared the window's state, and is dropped here.
   */
  static final class FinishProfileFn extends DoFn<KV<String, ProfileAccumulator>, CustomerProfile> {
    private final Counter repeatedFinals =
        Metrics.counter(BuildCustomerProfiles.class, MetricNames.REPEATED_FINAL_PROFILES);

    // Scoped to the customer and the window, and released when the window closes.
    @StateId("finalSent")
    private final StateSpec<ValueState<Boolean>> finalSent = StateSpecs.value(BooleanCoder.of());

    @ProcessElement
    public void process(
        @Element KV<String, ProfileAccumulator> summed,
        BoundedWindow window,
        PaneInfo pane,
        @StateId("finalSent") ValueState<Boolean> finalSent,
        OutputReceiver<CustomerProfile> out) {
      if (Boolean.TRUE.equals(finalSent.read())) {
        repeatedFinals.inc();
        return;
      }
      if (pane.isLast()) {
        finalSent.write(true);
      }
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
}
