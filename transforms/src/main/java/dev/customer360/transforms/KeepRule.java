package dev.customer360.transforms;

import dev.customer360.transforms.values.Engagement;

/**
 * Which delivery of one event id is kept, on every runner, batch or stream. Deliveries of one id
 * can differ only in {@code engagement_seconds} (the id covers the rest): the longer one wins, and
 * on a tie the one already kept stays, so the result does not depend on arrival order.
 */
final class KeepRule {
  private KeepRule() {}

  /** Of the kept delivery {@code kept} and a new one {@code other}, the one kept from now on. */
  static Engagement kept(Engagement kept, Engagement other) {
    return replaces(other.engagementSeconds(), kept.engagementSeconds()) ? other : kept;
  }

  /**
   * Whether a delivery of {@code seconds} replaces the kept one of {@code keptSeconds}: only a
   * longer one does (a stream then emits it as a correction).
   */
  static boolean replaces(int seconds, int keptSeconds) {
    return seconds > keptSeconds;
  }
}
