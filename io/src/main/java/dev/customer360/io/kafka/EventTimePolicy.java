package dev.customer360.io.kafka;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Puts raw Kafka records on event time, with a watermark that one bad clock cannot poison.
 *
 * <ul>
 *   <li>A record is stamped with its event time, unless it claims a time more than {@code
 *       maxFutureSkew} after its Kafka record timestamp: then it is stamped with that Kafka time
 *       (the reference a later step names when it dead-letters the record as {@code future:}) and
 *       it does not count for the watermark.
 *   <li>The watermark trails the newest counted event time by {@code maxDelay}, and never passes
 *       processing time minus {@code maxDelay}, even when restored from a checkpoint.
 *   <li>A caught-up partition (no backlog, empty ones included) follows processing time minus
 *       {@code maxDelay}, as Beam's {@code CustomTimestampPolicyWithLimitedDelay} does for
 *       partitions that had a record, so idle partitions do not hold the job back.
 * </ul>
 *
 * Records whose time cannot be read ({@link BoundedWindow#TIMESTAMP_MIN_VALUE}) are stamped so and
 * do not count either: their parse step dead-letters them.
 */
final class EventTimePolicy extends TimestampPolicy<String, byte[]> {
  private final SerializableFunction<String, Instant> eventTime;
  private final Duration maxDelay;
  private final Duration maxFutureSkew;

  /** The newest counted event time; the watermark is this minus {@code maxDelay}. */
  private Instant maxEventTime;

  EventTimePolicy(
      SerializableFunction<String, Instant> eventTime,
      Duration maxDelay,
      Duration maxFutureSkew,
      Optional<Instant> previousWatermark) {
    this(eventTime, maxDelay, maxFutureSkew, previousWatermark, Instant.now());
  }

  EventTimePolicy(
      SerializableFunction<String, Instant> eventTime,
      Duration maxDelay,
      Duration maxFutureSkew,
      Optional<Instant> previousWatermark,
      Instant now) {
    this.eventTime = eventTime;
    this.maxDelay = maxDelay;
    this.maxFutureSkew = maxFutureSkew;
    // A checkpoint written before this policy existed may hold a far-future watermark.
    Instant restored = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
    this.maxEventTime = earliest(restored, now.minus(maxDelay)).plus(maxDelay);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<String, byte[]> record) {
    Instant t = eventTime.apply(ReadKafkaRecords.lenientText(record.getKV().getValue()));
    // Records without a timestamp (old message format) are judged against processing time.
    Instant written =
        record.getTimestamp() >= 0 ? Instant.ofEpochMilli(record.getTimestamp()) : Instant.now();
    if (t.isAfter(written.plus(maxFutureSkew))) {
      return written;
    }
    if (t.isAfter(maxEventTime)) {
      maxEventTime = t;
    }
    return t;
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    return getWatermark(ctx, Instant.now());
  }

  Instant getWatermark(PartitionContext ctx, Instant now) {
    Instant limit = now.minus(maxDelay);
    Instant caughtUp = ctx.getBacklogCheckTime().minus(maxDelay);
    // Unlike Beam's policy, an empty partition counts as caught up too: the job's watermark is
    // the least of its partitions', and one that never had a record would hold every window open.
    if (ctx.getMessageBacklog() == 0 && caughtUp.isAfter(maxEventTime)) {
      return earliest(caughtUp, limit);
    }
    return earliest(maxEventTime.minus(maxDelay), limit);
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
