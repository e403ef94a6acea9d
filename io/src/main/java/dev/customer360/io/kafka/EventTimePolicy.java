package dev.customer360.io.kafka;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Today's behaviour (Beam's limited-delay policy), before the fix. */
final class EventTimePolicy extends TimestampPolicy<String, String> {
  private final SerializableFunction<String, Instant> eventTime;
  private final Duration maxDelay;
  private Instant maxEventTime;

  EventTimePolicy(
      SerializableFunction<String, Instant> eventTime,
      Duration maxDelay,
      Duration maxFutureSkew,
      Optional<Instant> previousWatermark,
      Instant now) {
    this.eventTime = eventTime;
    this.maxDelay = maxDelay;
    this.maxEventTime = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE).plus(maxDelay);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<String, String> record) {
    Instant t = eventTime.apply(record.getKV().getValue());
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
    if (maxEventTime.isAfter(now)) {
      return now.minus(maxDelay);
    } else if (ctx.getMessageBacklog() == 0
        && ctx.getBacklogCheckTime().minus(maxDelay).isAfter(maxEventTime)
        && maxEventTime.getMillis() > 0) {
      return ctx.getBacklogCheckTime().minus(maxDelay);
    }
    return maxEventTime.minus(maxDelay);
  }
}
