package dev.customer360.io.kafka;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which records one shard of the exactly-once sink has committed: for each recent sequencing epoch
 * (the life of one instance of the sequencing step), the ranges of sequence numbers written. It
 * travels as the metadata of the offset the shard's transaction commits, so it becomes visible
 * exactly when the records do.
 *
 * <p>A record inside a committed range was written before: an attempt restored from a checkpoint
 * replays it, and it is skipped. Membership is exact, so records that reach the writer out of order
 * are never taken for written. What is kept is bounded to fit Kafka's default 4 KiB of offset
 * metadata: the least recently written epochs are forgotten first, which can only make a replay
 * write a record twice, never skip one. Metadata of another format (an older version of the sink)
 * holds nothing: every record is written.
 */
final class CommittedSequences {
  static final int MAX_METADATA_CHARS = 3000;
  private static final String FORMAT = "c360-eos-2;";

  /** Per epoch, least recently written first: ranges [from, to) by their start. */
  private final LinkedHashMap<Long, TreeMap<Long, Long>> rangesByEpoch = new LinkedHashMap<>();

  static CommittedSequences none() {
    return new CommittedSequences();
  }

  /** Reads {@link #encode()}'s form; anything else (null, another format) holds nothing. */
  static CommittedSequences parse(String metadata) {
    CommittedSequences committed = new CommittedSequences();
    if (metadata == null || !metadata.startsWith(FORMAT)) {
      return committed;
    }
    String body = metadata.substring(FORMAT.length());
    try {
      for (String epochEntry : body.isEmpty() ? new String[0] : body.split(",")) {
        int eq = epochEntry.indexOf('=');
        TreeMap<Long, Long> ranges = new TreeMap<>();
        for (String range : epochEntry.substring(eq + 1).split("\\|")) {
          int dash = range.indexOf('-');
          ranges.put(
              Long.parseLong(range.substring(0, dash)), Long.parseLong(range.substring(dash + 1)));
        }
        committed.rangesByEpoch.put(
            Long.parseUnsignedLong(epochEntry.substring(0, eq), 16), ranges);
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the exactly-once sink's commit metadata is damaged ('"
              + metadata
              + "'); delete the sink's consumer group to start it afresh (records of the last"
              + " transaction may then be written twice)",
          e);
    }
    return committed;
  }

  /** Whether the record {@code (epoch, sequence)} was committed before. */
  boolean holds(long epoch, long sequence) {
    TreeMap<Long, Long> ranges = rangesByEpoch.get(epoch);
    if (ranges == null) {
      return false;
    }
    Map.Entry<Long, Long> range = ranges.floorEntry(sequence);
    return range != null && sequence < range.getValue();
  }

  /** Notes the record {@code (epoch, sequence)} as written. */
  void add(long epoch, long sequence) {
    TreeMap<Long, Long> ranges = rangesByEpoch.remove(epoch);
    if (ranges == null) {
      ranges = new TreeMap<>();
    }
    rangesByEpoch.put(epoch, ranges);
    long from = sequence;
    long to = sequence + 1;
    Map.Entry<Long, Long> before = ranges.floorEntry(sequence);
    if (before != null && before.getValue() >= sequence) {
      from = before.getKey();
      to = Math.max(to, before.getValue());
    }
    Long after = ranges.get(to);
    if (after != null) {
      ranges.remove(to);
      to = after;
    }
    ranges.put(from, to);
  }

  CommittedSequences copy() {
    CommittedSequences copy = new CommittedSequences();
    rangesByEpoch.forEach((epoch, ranges) -> copy.rangesByEpoch.put(epoch, new TreeMap<>(ranges)));
    return copy;
  }

  /** The offset committed with the metadata: the end of the latest epoch's last range. */
  long offset() {
    long offset = 0;
    for (TreeMap<Long, Long> ranges : rangesByEpoch.values()) {
      offset = ranges.isEmpty() ? 0 : ranges.lastEntry().getValue();
    }
    return offset;
  }

  /** The metadata form, the least recently written epochs (then ranges) left out past the limit. */
  String encode() {
    while (true) {
      String encoded = encodeAll();
      if (encoded.length() <= MAX_METADATA_CHARS) {
        return encoded;
      }
      Iterator<TreeMap<Long, Long>> oldest = rangesByEpoch.values().iterator();
      TreeMap<Long, Long> ranges = oldest.next();
      if (rangesByEpoch.size() > 1 || ranges.size() <= 1) {
        oldest.remove();
      } else {
        ranges.pollFirstEntry();
      }
    }
  }

  private String encodeAll() {
    StringBuilder s = new StringBuilder(FORMAT);
    String epochSeparator = "";
    for (Map.Entry<Long, TreeMap<Long, Long>> e : rangesByEpoch.entrySet()) {
      s.append(epochSeparator).append(Long.toHexString(e.getKey())).append('=');
      epochSeparator = ",";
      String rangeSeparator = "";
      for (Map.Entry<Long, Long> range : e.getValue().entrySet()) {
        s.append(rangeSeparator).append(range.getKey()).append('-').append(range.getValue());
        rangeSeparator = "|";
      }
    }
    return s.toString();
  }
}
