package dev.customer360.io.kafka;

import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementConflict;
import dev.customer360.transforms.values.JsonLines;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/** The pipeline's outputs as Kafka records: key and JSON value. */
public final class ToKafkaRecords {
  private ToKafkaRecords() {}

  /** Keyed by user_id, so one customer's engagements stay in order on one partition. */
  public static MapElements<Engagement, KV<String, String>> engagements() {
    return MapElements.into(
            TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
        .via((Engagement e) -> KV.of(e.userId(), JsonLines.engagement(e)));
  }

  /**
   * Keyed by {@code <user_id>|<window_start millis>}: on a compacted topic the newest firing of
   * each customer's window survives, and every window is kept.
   */
  public static MapElements<CustomerProfile, KV<String, String>> profiles() {
    return MapElements.into(
            TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
        .via((CustomerProfile p) -> KV.of(profileKey(p), JsonLines.profile(p)));
  }

  /** The profile's key: the customer and the window. */
  public static String profileKey(CustomerProfile p) {
    return p.userId + "|" + p.windowStart.getMillis();
  }

  /** Keyed by event_id: every conflict of one engagement on one partition. */
  public static MapElements<EngagementConflict, KV<String, String>> conflicts() {
    return MapElements.into(
            TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
        .via((EngagementConflict c) -> KV.of(c.eventId, JsonLines.conflict(c)));
  }

  /** Keyed by source. */
  public static MapElements<DeadLetter, KV<String, String>> deadLetters() {
    return MapElements.into(
            TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
        .via((DeadLetter d) -> KV.of(d.source(), JsonLines.deadLetter(d)));
  }
}
