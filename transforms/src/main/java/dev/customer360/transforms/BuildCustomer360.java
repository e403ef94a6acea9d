package dev.customer360.transforms;

import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import dev.customer360.transforms.values.EngagementConflict;
import dev.customer360.transforms.values.ProfileAccumulator;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * From standardized engagements to the customer 360: each engagement once ({@link #ENGAGEMENTS}, in
 * fixed windows in a stream, in the global window in a batch), the conflicting deliveries ({@link
 * #CONFLICTS}), the late ones ({@link #LATE}) and the profiles ({@link #PROFILES}), by the
 * keep-rule of {@link DeduplicateEngagements}.
 *
 * <p>A bounded input takes one grouping: every delivery of an event has the same customer and event
 * time, so all of them meet in the group of their customer and window, which keeps the longest of
 * each event id and sums the window's final profile from the kept ones. {@code shards = 0} groups
 * by customer and window (runners with a sort-based shuffle: Flink); {@code shards > 0} packs a few
 * shards of customers per bundle ({@link PackPerShard}; the DirectRunner pays per group). A stream
 * deduplicates with state ({@link DeduplicateEngagements}) and fires profiles early, on time and
 * late ({@link BuildCustomerProfiles}).
 */
public final class BuildCustomer360 extends PTransform<PCollection<Engagement>, PCollectionTuple> {
  public static final TupleTag<Engagement> ENGAGEMENTS = DeduplicateEngagements.UNIQUE;
  public static final TupleTag<Engagement> LATE = DeduplicateEngagements.LATE;
  public static final TupleTag<EngagementConflict> CONFLICTS = DeduplicateEngagements.CONFLICTS;
  public static final TupleTag<CustomerProfile> PROFILES = new TupleTag<CustomerProfile>() {};

  private final Duration window;
  private final Duration allowedLateness;
  private final Duration profileUpdateEvery;
  private final int shards;

  public BuildCustomer360(
      Duration window, Duration allowedLateness, Duration profileUpdateEvery, int shards) {
    this.window = window;
    this.allowedLateness = allowedLateness;
    this.profileUpdateEvery = profileUpdateEvery;
    this.shards = shards;
  }

  @Override
  public PCollectionTuple expand(PCollection<Engagement> engagements) {
    return engagements.isBounded() == PCollection.IsBounded.UNBOUNDED
        ? expandStream(engagements)
        : expandBatch(engagements);
  }

  /** Deduplicates with state, then windows the kept engagements and fires profiles per pane. */
  private PCollectionTuple expandStream(PCollection<Engagement> engagements) {
    PCollectionTuple deduplicated =
        engagements.apply(
            "DeduplicateEngagements", new DeduplicateEngagements(window, allowedLateness, shards));
    PCollection<Engagement> windowed =
        deduplicated
            .get(DeduplicateEngagements.UNIQUE)
            .apply("WindowEngagements", new WindowEngagements(window, allowedLateness));
    return PCollectionTuple.of(ENGAGEMENTS, windowed)
        .and(LATE, deduplicated.get(LATE))
        .and(CONFLICTS, deduplicated.get(CONFLICTS))
        .and(
            PROFILES,
            windowed.apply("BuildCustomerProfiles", new BuildCustomerProfiles(profileUpdateEvery)));
  }

  /** One grouping in the global window: nothing is late in a bounded input. */
  private PCollectionTuple expandBatch(PCollection<Engagement> engagements) {
    if (!window.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("the window must be longer than zero, got " + window);
    }
    PCollection<Engagement> timed =
        engagements
            .apply("UseEngagementTime", WithTimestamps.of(Engagement::engagementDatetime))
            // End-of-window group timestamps: Flink's batch translation then groups in one sorted
            // reduce instead of a map-side combine that sorts every engagement a second time.
            .apply(
                "IntoGlobalWindow",
                Window.<Engagement>into(new GlobalWindows())
                    .withTimestampCombiner(TimestampCombiner.END_OF_WINDOW));
    PCollectionTuple out = shards == 0 ? groupByCustomerAndWindow(timed) : groupByShard(timed);
    // A batch's outputs stay in the global window: its groups are stamped at the end of time, so
    // a fixed-window step after them would find every engagement behind the watermark.
    return PCollectionTuple.of(ENGAGEMENTS, out.get(ENGAGEMENTS).setCoder(EngagementCoder.of()))
        .and(
            LATE,
            engagements
                .getPipeline()
                .apply("NoLateEventsInBatch", Create.empty(EngagementCoder.of())))
        .and(CONFLICTS, out.get(CONFLICTS).setCoder(EngagementConflict.coder()))
        .and(PROFILES, out.get(PROFILES).setCoder(CustomerProfile.coder()));
  }

  /** One group per customer and window (a sort-based shuffle: Flink). */
  private PCollectionTuple groupByCustomerAndWindow(PCollection<Engagement> timed) {
    long size = window.getMillis();
    return timed
        .apply(
            "KeyByCustomerAndWindow",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()),
                        TypeDescriptor.of(Engagement.class)))
                .via(
                    (Engagement e) ->
                        KV.of(
                            KV.of(
                                e.userId(),
                                WindowEngagements.startOf(
                                    e.engagementDatetime().getMillis(), size)),
                            e)))
        .setCoder(
            KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()), EngagementCoder.of()))
        .apply("GroupByCustomerAndWindow", GroupByKey.create())
        .apply(
            "KeepLongestAndSumProfile",
            ParDo.of(new CustomerWindowFn(window)).withOutputTags(ENGAGEMENTS, batchSideOutputs()));
  }

  /** A few shards of customers packed per group (the DirectRunner pays per group). */
  private PCollectionTuple groupByShard(PCollection<Engagement> timed) {
    return timed
        .apply(
            "KeyByShard",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.integers(), TypeDescriptor.of(Engagement.class)))
                .via((Engagement e) -> KV.of(DeduplicateEngagements.shardOf(e, shards), e)))
        .setCoder(KvCoder.of(VarIntCoder.of(), EngagementCoder.of()))
        .apply("PackPerShard", ParDo.of(new PackPerShard<>(EngagementCoder.of())))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
        .apply("GroupByShard", GroupByKey.create())
        .apply(
            "KeepLongestAndSumProfiles",
            ParDo.of(new ShardFn(window)).withOutputTags(ENGAGEMENTS, batchSideOutputs()));
  }

  private static TupleTagList batchSideOutputs() {
    return TupleTagList.of(CONFLICTS).and(PROFILES);
  }

  /**
   * The deliveries of one customer's window: emits the kept engagement and the conflicts of each
   * event id, and the window's final profile summed over the kept engagements.
   */
  private static final class CustomerWindow implements Serializable {
    private final Counter duplicates =
        Metrics.counter(DeduplicateEngagements.class, MetricNames.DUPLICATES_DROPPED);
    private final Counter conflicting =
        Metrics.counter(DeduplicateEngagements.class, MetricNames.CONFLICTING_DUPLICATES);

    void emit(String userId, long start, long size, Map<String, Deliveries> byId, MultiOutput out) {
      ProfileAccumulator profile = new ProfileAccumulator();
      for (Deliveries d : byId.values()) {
        duplicates.inc(d.exactDuplicates());
        conflicting.inc(d.conflictingDuplicates());
        Instant at = d.longest.engagementDatetime();
        out.engagement(d.longest, at);
        d.conflicts().forEach(c -> out.conflict(c, at));
        profile.add(d.longest);
      }
      Instant end = new Instant(start + size);
      out.profile(
          profile.finish(userId, new Instant(start), end, CustomerProfile.Pane.ON_TIME, true),
          end.minus(Duration.millis(1)));
    }
  }

  /** Where {@link CustomerWindow} emits to. */
  private static final class MultiOutput {
    private final DoFn.MultiOutputReceiver out;

    MultiOutput(DoFn.MultiOutputReceiver out) {
      this.out = out;
    }

    void engagement(Engagement e, Instant at) {
      out.get(ENGAGEMENTS).outputWithTimestamp(e, at);
    }

    void conflict(EngagementConflict c, Instant at) {
      out.get(CONFLICTS).outputWithTimestamp(c, at);
    }

    void profile(CustomerProfile p, Instant at) {
      out.get(PROFILES).outputWithTimestamp(p, at);
    }
  }

  /** A batch grouping's DoFn: emits each customer window of its groups at event time. */
  private abstract static class GroupFn<InputT> extends DoFn<InputT, Engagement> {
    final long size;
    final CustomerWindow customerWindow = new CustomerWindow();

    GroupFn(Duration window) {
      this.size = window.getMillis();
    }

    /** Its groups are stamped at the end of time; each output goes back to its event time. */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /** Batch, one group per customer and window. */
  static final class CustomerWindowFn extends GroupFn<KV<KV<String, Long>, Iterable<Engagement>>> {
    CustomerWindowFn(Duration window) {
      super(window);
    }

    @ProcessElement
    public void process(
        @Element KV<KV<String, Long>, Iterable<Engagement>> group, MultiOutputReceiver out) {
      Map<String, Deliveries> byId = new HashMap<>();
      for (Engagement e : group.getValue()) {
        byId.computeIfAbsent(e.eventId(), id -> new Deliveries()).add(e);
      }
      KV<String, Long> key = group.getKey();
      customerWindow.emit(key.getKey(), key.getValue(), size, byId, new MultiOutput(out));
    }
  }

  /** Batch, one packed group per shard of customers: every customer window in it. */
  static final class ShardFn extends GroupFn<KV<Integer, Iterable<byte[]>>> {
    ShardFn(Duration window) {
      super(window);
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<byte[]>> shard, MultiOutputReceiver out) {
      Map<KV<String, Long>, Map<String, Deliveries>> windows = new HashMap<>();
      PackPerShard.unpack(
          shard.getValue(),
          EngagementCoder.of(),
          e ->
              windows
                  .computeIfAbsent(
                      KV.of(
                          e.userId(),
                          WindowEngagements.startOf(e.engagementDatetime().getMillis(), size)),
                      k -> new HashMap<>())
                  .computeIfAbsent(e.eventId(), id -> new Deliveries())
                  .add(e));
      MultiOutput to = new MultiOutput(out);
      windows.forEach(
          (key, byId) -> customerWindow.emit(key.getKey(), key.getValue(), size, byId, to));
    }
  }
}
