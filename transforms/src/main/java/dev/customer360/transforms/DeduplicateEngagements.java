package dev.customer360.transforms;

import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
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
 * Puts engagements on event time and emits each {@code event_id} once ({@link #UNIQUE}): re-
 * deliveries of an engagement, in any order and as late as its window still accepts data (window
 * end plus allowed lateness), are dropped and counted ({@code duplicates_dropped}). Engagements
 * that arrive after their window has closed go to {@link #LATE} ({@code late_events}).
 *
 * <p>Why it is built this way:
 *
 * <ul>
 *   <li>State is keyed by a shard of the customer ({@code hash mod shards}; every delivery of an
 *       event has its customer), not by the event id: a key per event costs the DirectRunner a
 *       bundle per event, while a few shards keep dedup parallel. With {@code shards = 0} a bounded
 *       input is grouped by event id instead, which suits runners with a real shuffle.
 *   <li>A bounded input is deduplicated in one grouping pass per shard, without state (see {@code
 *       expand}); an unbounded one with the state below.
 *   <li>The state lives in the global window and remembers, per id, when its fixed window closes.
 *       Per-window state would cost the DirectRunner a timer and a bundle per shard and window,
 *       which dominated runs over long time spans.
 *   <li>One event-time timer per shard, at the next closing time, removes the ids of every window
 *       the watermark has passed, so state holds only windows still open: it does not grow with the
 *       length of the stream ({@code dedup_ids_released} counts what was removed).
 * </ul>
 *
 * The output keeps each engagement's event timestamp and is in the global window; apply {@link
 * WindowEngagements} after it.
 */
public final class DeduplicateEngagements
    extends PTransform<PCollection<Engagement>, PCollectionTuple> {
  public static final TupleTag<Engagement> UNIQUE = new TupleTag<Engagement>() {};
  public static final TupleTag<Engagement> LATE = new TupleTag<Engagement>() {};

  /** Shards on the DirectRunner, which pays a bundle per key and group. */
  public static final int DEFAULT_SHARDS = 16;

  private final Duration window;
  private final Duration allowedLateness;
  private final int shards;

  public DeduplicateEngagements(Duration window, Duration allowedLateness, int shards) {
    if (shards < 0) {
      throw new IllegalArgumentException(
          "--dedupShards must be 0 (group by event id) or more (shards), got " + shards);
    }
    if (!window.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("--window must be longer than zero, got " + window);
    }
    this.window = window;
    this.allowedLateness = allowedLateness;
    this.shards = shards;
  }

  @Override
  public PCollectionTuple expand(PCollection<Engagement> engagements) {
    PCollection<Engagement> timed =
        engagements
            .apply("UseEngagementTime", WithTimestamps.of(Engagement::engagementDatetime))
            .apply(
                "IntoGlobalWindow",
                Window.<Engagement>into(new GlobalWindows())
                    .withTimestampCombiner(TimestampCombiner.EARLIEST));
    boolean bounded = engagements.isBounded() == PCollection.IsBounded.BOUNDED;
    PCollectionTuple out;
    if (bounded && shards == 0) {
      // A bounded input is complete, so nothing is late. One group per event id, combined: on a
      // runner with a sort-based shuffle (Flink) this pre-combines before the shuffle and spills
      // to disk, so memory does not grow with the input.
      PCollection<Engagement> unique =
          timed
              .apply(
                  "KeyByEventId",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptors.strings(), TypeDescriptor.of(Engagement.class)))
                      .via((Engagement e) -> KV.of(e.eventId(), e)))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), EngagementCoder.of()))
              .apply("FirstDeliveryPerEventId", Combine.perKey(new FirstDeliveryFn()))
              .apply("DropRepeatedEventIds", ParDo.of(new EmitFirstDeliveryFn()));
      out = PCollectionTuple.of(UNIQUE, unique).and(LATE, noLateEvents(engagements));
    } else {
      int shards = this.shards == 0 ? DEFAULT_SHARDS : this.shards;
      PCollection<KV<Integer, Engagement>> keyed =
          timed
              .apply(
                  "KeyByShard",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptors.integers(), TypeDescriptor.of(Engagement.class)))
                      .via((Engagement e) -> KV.of(shardOf(e, shards), e)))
              .setCoder(KvCoder.of(VarIntCoder.of(), EngagementCoder.of()));
      if (bounded) {
        // One pass over each shard's group does the job without state: on the DirectRunner,
        // keyed state is copied for every bundle and made batch runs quadratic in the input.
        PCollection<Engagement> unique =
            keyed
                .apply("PackPerShard", ParDo.of(new PackPerShard<>(EngagementCoder.of())))
                .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
                .apply("GroupByShard", GroupByKey.create())
                .apply("DropRepeatedEventIds", ParDo.of(new DropRepeatsInShardFn()));
        out = PCollectionTuple.of(UNIQUE, unique).and(LATE, noLateEvents(engagements));
      } else {
        out =
            keyed.apply(
                "DropSeenEventIds",
                ParDo.of(new DropSeenFn(window, allowedLateness))
                    .withOutputTags(UNIQUE, TupleTagList.of(LATE)));
      }
    }
    out.get(UNIQUE).setCoder(EngagementCoder.of());
    out.get(LATE).setCoder(EngagementCoder.of());
    return out;
  }

  /**
   * The shard of an engagement: by customer, so that all deliveries of an event (same id, same
   * customer) meet, and each shard's output holds whole customers for the profile step.
   */
  static int shardOf(Engagement e, int shards) {
    return Math.floorMod(e.userId().hashCode(), shards);
  }

  private static PCollection<Engagement> noLateEvents(PCollection<Engagement> engagements) {
    return engagements
        .getPipeline()
        .apply("NoLateEventsInBatch", Create.empty(EngagementCoder.of()));
  }

  /** The delivery of an event id kept ({@link #preferred}), and how many there were. */
  static final class Deliveries {
    Engagement first;
    long count;
  }

  /** Coder of {@link Deliveries}: the engagement (or none) and the count. */
  static final class DeliveriesCoder extends org.apache.beam.sdk.coders.CustomCoder<Deliveries> {
    private static final org.apache.beam.sdk.coders.Coder<Engagement> ENGAGEMENT =
        org.apache.beam.sdk.coders.NullableCoder.of(EngagementCoder.of());

    @Override
    public void encode(Deliveries value, java.io.OutputStream out) throws java.io.IOException {
      ENGAGEMENT.encode(value.first, out);
      VarLongCoder.of().encode(value.count, out);
    }

    @Override
    public Deliveries decode(java.io.InputStream in) throws java.io.IOException {
      Deliveries d = new Deliveries();
      d.first = ENGAGEMENT.decode(in);
      d.count = VarLongCoder.of().decode(in);
      return d;
    }
  }

  /** Keeps one delivery of an event id ({@link #preferred}) and counts them all. */
  static final class FirstDeliveryFn extends Combine.CombineFn<Engagement, Deliveries, Deliveries> {
    @Override
    public Deliveries createAccumulator() {
      return new Deliveries();
    }

    @Override
    public Deliveries addInput(Deliveries d, Engagement e) {
      d.first = d.first == null ? e : preferred(d.first, e);
      d.count++;
      return d;
    }

    @Override
    public Deliveries mergeAccumulators(Iterable<Deliveries> all) {
      Deliveries merged = new Deliveries();
      for (Deliveries d : all) {
        if (d.first != null) {
          merged.first = merged.first == null ? d.first : preferred(merged.first, d.first);
        }
        merged.count += d.count;
      }
      return merged;
    }

    @Override
    public Deliveries extractOutput(Deliveries d) {
      return d;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Deliveries> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Engagement> input) {
      return new DeliveriesCoder();
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Deliveries> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Engagement> input) {
      return new DeliveriesCoder();
    }
  }

  /** Batch, per event id: the kept delivery at its own event time; the rest counted. */
  static final class EmitFirstDeliveryFn extends DoFn<KV<String, Deliveries>, Engagement> {
    private final Counter duplicates =
        Metrics.counter(DeduplicateEngagements.class, "duplicates_dropped");

    @ProcessElement
    public void process(@Element KV<String, Deliveries> id, OutputReceiver<Engagement> out) {
      Deliveries d = id.getValue();
      duplicates.inc(d.count - 1);
      // The group's timestamp is its earliest element's, so this never moves time backwards.
      out.outputWithTimestamp(d.first, d.first.engagementDatetime());
    }
  }

  /** Batch: pass each event id of a shard's group once, at its own event time. */
  /** Batch: passes each event id of a shard's packed group once, at its own event time. */
  static final class DropRepeatsInShardFn extends DoFn<KV<Integer, Iterable<byte[]>>, Engagement> {
    private final Counter duplicates =
        Metrics.counter(DeduplicateEngagements.class, "duplicates_dropped");

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<byte[]>> shard, OutputReceiver<Engagement> out) {
      Map<String, Engagement> kept = new HashMap<>();
      long[] deliveries = {0};
      PackPerShard.unpack(
          shard.getValue(),
          EngagementCoder.of(),
          engagement -> {
            deliveries[0]++;
            kept.merge(engagement.eventId(), engagement, DeduplicateEngagements::preferred);
          });
      duplicates.inc(deliveries[0] - kept.size());
      for (Engagement engagement : kept.values()) {
        // The group's timestamp is its earliest element's: this never moves time backwards.
        out.outputWithTimestamp(engagement, engagement.engagementDatetime());
      }
    }
  }

  /**
   * Of two deliveries of one event id, the one kept, whatever their order: they can differ only in
   * {@code engagement_seconds} (the id covers the rest), and the longer one wins.
   */
  static Engagement preferred(Engagement a, Engagement b) {
    return b.engagementSeconds() > a.engagementSeconds() ? b : a;
  }

  /**
   * The last moment the fixed window holding {@code timestamp} accepts data: its end plus the
   * allowed lateness. Fixed windows are aligned to the epoch, as {@code FixedWindows.of} makes
   * them.
   */
  static long closingTime(Instant timestamp, Duration window, Duration allowedLateness) {
    long size = window.getMillis();
    long start = timestamp.getMillis() - Math.floorMod(timestamp.getMillis(), size);
    long maxTimestamp = start + size - 1;
    return maxTimestamp + allowedLateness.getMillis();
  }

  /** Per shard: pass an event the first time its id is seen while its window is open. */
  static final class DropSeenFn extends DoFn<KV<Integer, Engagement>, Engagement> {
    private final Duration window;
    private final Duration allowedLateness;
    private final Counter duplicates =
        Metrics.counter(DeduplicateEngagements.class, "duplicates_dropped");
    private final Counter late = Metrics.counter(DeduplicateEngagements.class, "late_events");
    private final Counter released =
        Metrics.counter(DeduplicateEngagements.class, "dedup_ids_released");

    /** Ids a shard still holds after each cleanup: shows the state staying bounded. */
    private final Distribution liveIds =
        Metrics.distribution(DeduplicateEngagements.class, "dedup_live_ids");

    /** Event id -> closing time of its window. */
    @StateId("seen")
    private final StateSpec<MapState<String, Long>> seenSpec =
        StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

    /** When the expiry timer is set for, if it is. */
    @StateId("timerAt")
    private final StateSpec<ValueState<Long>> timerAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("expiry")
    private final TimerSpec expirySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    DropSeenFn(Duration window, Duration allowedLateness) {
      this.window = window;
      this.allowedLateness = allowedLateness;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Engagement> element,
        @Timestamp Instant timestamp,
        @StateId("seen") MapState<String, Long> seen,
        @StateId("timerAt") ValueState<Long> timerAt,
        @TimerId("expiry") Timer expiry,
        MultiOutputReceiver out) {
      Engagement engagement = element.getValue();
      long closes = closingTime(timestamp, window, allowedLateness);
      // For event-time timers this is the input watermark.
      Instant watermark = expiry.getCurrentRelativeTime();
      if (closes < watermark.getMillis()) {
        late.inc();
        out.get(LATE).output(engagement);
        return;
      }
      if (seen.putIfAbsent(engagement.eventId(), closes).read() != null) {
        duplicates.inc();
        return;
      }
      Long pending = timerAt.read();
      if (pending == null || closes + 1 < pending) {
        // Fires once the watermark is past the closing time, i.e. the window is closed.
        expiry.set(new Instant(closes + 1));
        timerAt.write(closes + 1);
      }
      out.get(UNIQUE).output(engagement);
    }

    @OnTimer("expiry")
    public void onExpiry(
        @StateId("seen") MapState<String, Long> seen,
        @StateId("timerAt") ValueState<Long> timerAt,
        @TimerId("expiry") Timer expiry) {
      long watermark = expiry.getCurrentRelativeTime().getMillis();
      List<String> closed = new ArrayList<>();
      long live = 0;
      long next = Long.MAX_VALUE;
      for (Map.Entry<String, Long> entry : seen.entries().read()) {
        if (entry.getValue() < watermark) {
          closed.add(entry.getKey());
        } else {
          live++;
          next = Math.min(next, entry.getValue());
        }
      }
      closed.forEach(seen::remove);
      released.inc(closed.size());
      liveIds.update(live);
      if (next == Long.MAX_VALUE) {
        timerAt.clear();
      } else {
        expiry.set(new Instant(next + 1));
        timerAt.write(next + 1);
      }
    }
  }
}
