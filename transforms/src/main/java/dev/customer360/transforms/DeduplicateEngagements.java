package dev.customer360.transforms;

import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import dev.customer360.transforms.values.EngagementConflict;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
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
import org.apache.beam.sdk.transforms.DoFn;
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
 * Puts engagements on event time and emits each {@code event_id} once ({@link #UNIQUE}), whatever
 * the order and number of its deliveries, as long as its window still accepts data (window end plus
 * allowed lateness). Engagements that arrive after their window has closed go to {@link #LATE}
 * ({@code late_events}).
 *
 * <p>The keep-rule, the same on every runner, batch or stream: deliveries of one event id can
 * differ only in {@code engagement_seconds}, and the longest is kept. A delivery equal to one seen
 * before is an exact duplicate ({@code duplicates_dropped}); each other value of {@code
 * engagement_seconds} is a conflicting duplicate ({@code conflicting_duplicates}) and one {@link
 * EngagementConflict} ({@link #CONFLICTS}) of the kept and the dropped value. A batch sees every
 * delivery at once and emits the longest. A stream emits the first delivery at once and, when a
 * longer one arrives, emits it again as a correction ({@link Engagement#isCorrection()}, {@code
 * engagement_corrections}): the sinks keep the longest, the profile adds the difference, so a
 * stream ends where a batch over the same deliveries does. A stream writes its conflicts when the
 * window closes, the same records a batch writes; it finds conflicts only while it holds the
 * window's ids.
 *
 * <p>This is the streaming dedup; a bounded input is deduplicated by {@link BuildCustomer360} in
 * the grouping that also builds its profiles. State is keyed by a shard of the customer ({@code
 * hash mod shards}, 0 = {@value #DEFAULT_SHARDS}; every delivery of an event has its customer): a
 * key per event costs the DirectRunner a bundle per event. It lives in the global window and
 * remembers, per id, when its window closes; one event-time timer per shard removes the ids of
 * closed windows, so state holds only open windows.
 *
 * <p>The output keeps each engagement's event timestamp and is in the global window; apply {@link
 * WindowEngagements} after it.
 */
public final class DeduplicateEngagements
    extends PTransform<PCollection<Engagement>, PCollectionTuple> {
  public static final TupleTag<Engagement> UNIQUE = new TupleTag<Engagement>() {};
  public static final TupleTag<Engagement> LATE = new TupleTag<Engagement>() {};
  public static final TupleTag<EngagementConflict> CONFLICTS =
      new TupleTag<EngagementConflict>() {};

  /** Shards of the dedup state when none are given. */
  public static final int DEFAULT_SHARDS = 16;

  private final Duration window;
  private final Duration allowedLateness;
  private final int shards;

  public DeduplicateEngagements(Duration window, Duration allowedLateness, int shards) {
    if (shards < 0) {
      throw new IllegalArgumentException(
          "the number of shards must be 0 (the default number) or more, got " + shards);
    }
    if (!window.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("the window must be longer than zero, got " + window);
    }
    this.window = window;
    this.allowedLateness = allowedLateness;
    this.shards = shards;
  }

  @Override
  public PCollectionTuple expand(PCollection<Engagement> engagements) {
    if (engagements.isBounded() == PCollection.IsBounded.BOUNDED) {
      throw new IllegalArgumentException(
          "DeduplicateEngagements is the streaming dedup; a bounded input takes BuildCustomer360,"
              + " which deduplicates and builds profiles in one grouping");
    }
    int shards = this.shards == 0 ? DEFAULT_SHARDS : this.shards;
    PCollectionTuple out =
        engagements
            .apply("UseEngagementTime", WithTimestamps.of(Engagement::engagementDatetime))
            .apply(
                "IntoGlobalWindow",
                Window.<Engagement>into(new GlobalWindows())
                    .withTimestampCombiner(TimestampCombiner.EARLIEST))
            .apply(
                "KeyByShard",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.integers(), TypeDescriptor.of(Engagement.class)))
                    .via((Engagement e) -> KV.of(shardOf(e, shards), e)))
            .setCoder(KvCoder.of(VarIntCoder.of(), EngagementCoder.of()))
            .apply(
                "DropSeenEventIds",
                ParDo.of(new DropSeenFn(window, allowedLateness))
                    .withOutputTags(UNIQUE, TupleTagList.of(LATE).and(CONFLICTS)));
    out.get(UNIQUE).setCoder(EngagementCoder.of());
    out.get(LATE).setCoder(EngagementCoder.of());
    out.get(CONFLICTS).setCoder(EngagementConflict.coder());
    return out;
  }

  /**
   * The shard of an engagement: by customer, so that all deliveries of an event (same id, same
   * customer) meet, and each shard's output holds whole customers for the profile step.
   */
  static int shardOf(Engagement e, int shards) {
    return Math.floorMod(e.userId().hashCode(), shards);
  }

  /** Coder of {@link Deliveries}: the longest delivery (or none), the count and the values. */
  static final class DeliveriesCoder extends CustomCoder<Deliveries> {
    private static final Coder<Engagement> ENGAGEMENT = NullableCoder.of(EngagementCoder.of());

    @Override
    public void encode(Deliveries value, OutputStream out) throws IOException {
      ENGAGEMENT.encode(value.longest, out);
      VarLongCoder.of().encode(value.count, out);
      VarIntCoder.of().encode(value.seconds.length, out);
      for (int seconds : value.seconds) {
        VarIntCoder.of().encode(seconds, out);
      }
    }

    @Override
    public Deliveries decode(InputStream in) throws IOException {
      Deliveries d = new Deliveries();
      d.longest = ENGAGEMENT.decode(in);
      d.count = VarLongCoder.of().decode(in);
      d.seconds = new int[VarIntCoder.of().decode(in)];
      for (int i = 0; i < d.seconds.length; i++) {
        d.seconds[i] = VarIntCoder.of().decode(in);
      }
      return d;
    }
  }

  /**
   * The last moment the fixed window holding {@code timestamp} accepts data: its end plus the
   * allowed lateness ({@link WindowClosing#closingTime}).
   */
  static long closingTime(Instant timestamp, Duration window, Duration allowedLateness) {
    return WindowClosing.closingTime(
        timestamp.getMillis(), window.getMillis(), allowedLateness.getMillis());
  }

  /**
   * Per shard, a stream: emits an event the first time its id is seen while its window is open, and
   * again as a correction when a longer delivery arrives; writes its conflicts when the window
   * closes.
   */
  static final class DropSeenFn extends DoFn<KV<Integer, Engagement>, Engagement> {
    private final Duration window;
    private final Duration allowedLateness;
    private final Counter duplicates =
        Metrics.counter(DeduplicateEngagements.class, MetricNames.DUPLICATES_DROPPED);
    private final Counter conflicting =
        Metrics.counter(DeduplicateEngagements.class, MetricNames.CONFLICTING_DUPLICATES);
    private final Counter corrections =
        Metrics.counter(DeduplicateEngagements.class, MetricNames.ENGAGEMENT_CORRECTIONS);
    private final Counter late =
        Metrics.counter(DeduplicateEngagements.class, MetricNames.LATE_EVENTS);
    private final Counter released =
        Metrics.counter(DeduplicateEngagements.class, MetricNames.DEDUP_IDS_RELEASED);

    /** Ids a shard still holds after each cleanup: shows the state staying bounded. */
    private final Distribution liveIds =
        Metrics.distribution(DeduplicateEngagements.class, MetricNames.DEDUP_LIVE_IDS);

    /** Event id -> closing time of its window and the seconds of the delivery emitted last. */
    @StateId("seen")
    private final StateSpec<MapState<String, KV<Long, Integer>>> seenSpec =
        StateSpecs.map(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), VarIntCoder.of()));

    /** Only the event ids with conflicting deliveries: all of them, until the window closes. */
    @StateId("conflicts")
    private final StateSpec<MapState<String, Deliveries>> conflictsSpec =
        StateSpecs.map(StringUtf8Coder.of(), new DeliveriesCoder());

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
        @StateId("seen") MapState<String, KV<Long, Integer>> seen,
        @StateId("conflicts") MapState<String, Deliveries> conflicts,
        @StateId("timerAt") ValueState<Long> timerAt,
        @TimerId("expiry") Timer expiry,
        MultiOutputReceiver out) {
      Engagement engagement = element.getValue();
      long closes = closingTime(timestamp, window, allowedLateness);
      // For event-time timers this is the input watermark.
      Instant watermark = expiry.getCurrentRelativeTime();
      if (WindowClosing.isClosed(closes, watermark.getMillis())) {
        late.inc();
        out.get(LATE).output(engagement);
        return;
      }
      String id = engagement.eventId();
      int seconds = engagement.engagementSeconds();
      KV<Long, Integer> emitted = seen.putIfAbsent(id, KV.of(closes, seconds)).read();
      if (emitted == null) {
        Long pending = timerAt.read();
        long releaseAt = WindowClosing.releaseAt(closes);
        if (pending == null || releaseAt < pending) {
          expiry.set(new Instant(releaseAt));
          timerAt.write(releaseAt);
        }
        out.get(UNIQUE).output(engagement);
        return;
      }
      int emittedSeconds = emitted.getValue();
      if (seconds == emittedSeconds) {
        duplicates.inc();
        return;
      }
      Deliveries d = conflicts.get(id).read();
      if (d == null) {
        d = Deliveries.of(engagement.withSeconds(emittedSeconds));
      }
      if (!d.addSeconds(seconds)) {
        duplicates.inc();
        return;
      }
      conflicting.inc();
      if (KeepRule.replaces(seconds, emittedSeconds)) {
        d.longest = engagement;
        seen.put(id, KV.of(closes, seconds));
        corrections.inc();
        out.get(UNIQUE).output(engagement.replacing(emittedSeconds));
      }
      conflicts.put(id, d);
    }

    @OnTimer("expiry")
    public void onExpiry(
        @StateId("seen") MapState<String, KV<Long, Integer>> seen,
        @StateId("conflicts") MapState<String, Deliveries> conflicts,
        @StateId("timerAt") ValueState<Long> timerAt,
        @TimerId("expiry") Timer expiry,
        MultiOutputReceiver out) {
      long watermark = expiry.getCurrentRelativeTime().getMillis();
      Set<String> closed = new HashSet<>();
      long live = 0;
      long next = Long.MAX_VALUE;
      for (Map.Entry<String, KV<Long, Integer>> entry : seen.entries().read()) {
        long closes = entry.getValue().getKey();
        if (WindowClosing.isClosed(closes, watermark)) {
          closed.add(entry.getKey());
        } else {
          live++;
          next = Math.min(next, closes);
        }
      }
      for (Map.Entry<String, Deliveries> entry : conflicts.entries().read()) {
        if (closed.contains(entry.getKey())) {
          entry.getValue().conflicts().forEach(out.get(CONFLICTS)::output);
          conflicts.remove(entry.getKey());
        }
      }
      closed.forEach(seen::remove);
      released.inc(closed.size());
      liveIds.update(live);
      if (next == Long.MAX_VALUE) {
        timerAt.clear();
      } else {
        expiry.set(new Instant(WindowClosing.releaseAt(next)));
        timerAt.write(WindowClosing.releaseAt(next));
      }
    }
  }
}
