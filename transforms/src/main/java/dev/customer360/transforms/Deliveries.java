package dev.customer360.transforms;

import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementConflict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The deliveries of one event id: the one kept ({@link KeepRule}), how many there were, and every
 * distinct {@code engagement_seconds} seen (usually one). Mutable; its coder is {@link
 * DeduplicateEngagements.DeliveriesCoder}.
 */
final class Deliveries {
  Engagement longest;
  long count;
  int[] seconds = new int[0];

  static Deliveries of(Engagement e) {
    Deliveries d = new Deliveries();
    d.add(e);
    return d;
  }

  void add(Engagement e) {
    longest = longest == null ? e : KeepRule.kept(longest, e);
    count++;
    addSeconds(e.engagementSeconds());
  }

  /** False if {@code value} was seen before. */
  boolean addSeconds(int value) {
    for (int seen : seconds) {
      if (seen == value) {
        return false;
      }
    }
    seconds = Arrays.copyOf(seconds, seconds.length + 1);
    seconds[seconds.length - 1] = value;
    return true;
  }

  /** Deliveries equal to one before them ({@code duplicates_dropped}). */
  long exactDuplicates() {
    return count - seconds.length;
  }

  /** Values of {@code engagement_seconds} other than the first ({@code conflicting_duplicates}). */
  int conflictingDuplicates() {
    return seconds.length - 1;
  }

  /** One conflict per value of {@code engagement_seconds} that is not the kept one, ascending. */
  List<EngagementConflict> conflicts() {
    List<EngagementConflict> conflicts = new ArrayList<>();
    int[] values = seconds.clone();
    Arrays.sort(values);
    for (int value : values) {
      if (value != longest.engagementSeconds()) {
        conflicts.add(EngagementConflict.of(longest, value));
      }
    }
    return conflicts;
  }
}
