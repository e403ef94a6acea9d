package dev.customer360.transforms.values;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One raw record of a source and where it came from, for the dead letter it may become. The origin
 * is kept in two parts, the text shared by every record of a file or partition ({@code
 * file:/data/clicks.jsonl line }, {@code kafka:clicks/3@}) and the record's position in it (line
 * number, byte offset, Kafka offset): a record costs one long, and the text of its {@link
 * #origin()} is made only when a dead letter is.
 */
@DefaultCoder(RawRecordCoder.class)
public final class RawRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  /** No position: {@link #originPrefix} is the whole origin (or "" when it is not known). */
  public static final long NO_POSITION = -1;

  final String line;
  final String originPrefix;
  final long position;
  final @Nullable String readError;

  RawRecord(String line, String originPrefix, long position) {
    this(line, originPrefix, position, null);
  }

  RawRecord(String line, String originPrefix, long position, @Nullable String readError) {
    this.line = line;
    this.originPrefix = originPrefix;
    this.position = position;
    this.readError = readError;
  }

  /** A record whose origin is not known (a sample, a test). */
  public static RawRecord of(String line) {
    return new RawRecord(line, "", NO_POSITION);
  }

  /** A record whose origin is {@code origin}, whole: a replayed record keeps its first one. */
  public static RawRecord withOrigin(String line, String origin) {
    return new RawRecord(line, origin == null ? "" : origin, NO_POSITION);
  }

  /**
   * A record at {@code position} (0 or more) of the file or partition {@code originPrefix} names,
   * as {@link #lineOf}, {@link #byteOf} or {@link #kafkaOffsetOf} made it.
   */
  public static RawRecord at(String line, String originPrefix, long position) {
    if (position < 0) {
      throw new IllegalArgumentException("position must be 0 or more, got " + position);
    }
    return new RawRecord(line, originPrefix, position);
  }

  /**
   * The record {@link #originPrefix()} and {@link #position()} gave, e.g. carried through SQL as
   * columns.
   */
  public static RawRecord ofParts(String line, String originPrefix, long position) {
    return position < 0 ? withOrigin(line, originPrefix) : at(line, originPrefix, position);
  }

  /** The origin of a whole file, e.g. of a file that could not be opened. */
  public static String fileOf(String file) {
    return "file:" + file;
  }

  /** The origin prefix of the lines of a file read whole, numbered from 1. */
  public static String lineOf(String file) {
    return fileOf(file) + " line ";
  }

  /** The origin prefix of the lines of a file read in ranges: their byte offsets. */
  public static String byteOf(String file) {
    return fileOf(file) + " byte ";
  }

  /** The origin prefix of the records of one Kafka partition: their offsets. */
  public static String kafkaOffsetOf(String topic, int partition) {
    return "kafka:" + topic + "/" + partition + "@";
  }

  /** Lines whose origin is not known as raw records. */
  public static MapElements<String, RawRecord> ofLines() {
    return MapElements.into(TypeDescriptor.of(RawRecord.class)).via(RawRecord::of);
  }

  /**
   * This record as one the read could not read whole ({@code readError} says why and what to do):
   * its line shows what was read. It travels with the readable ones to the parse step, which makes
   * it a dead letter: a read with one output saves Beam's Flink batch translation a copy of every
   * record.
   */
  public RawRecord unreadable(String readError) {
    if (readError == null || readError.isEmpty()) {
      throw new IllegalArgumentException("an unreadable record needs the reason");
    }
    return new RawRecord(line, originPrefix, position, readError);
  }

  /** Why the read could not read this record whole, or null for a record read whole. */
  public @Nullable String readError() {
    return readError;
  }

  /** The raw record itself, as read. */
  public String line() {
    return line;
  }

  /** Its origin up to its position; the whole origin when it has {@link #NO_POSITION}. */
  public String originPrefix() {
    return originPrefix;
  }

  /** Its line number, byte offset or Kafka offset in {@link #originPrefix()}, or -1. */
  public long position() {
    return position;
  }

  /**
   * Where it came from, e.g. {@code file:/data/clicks.jsonl line 17}, {@code kafka:clicks/3@1042};
   * {@code ""} when not known.
   */
  public String origin() {
    return position == NO_POSITION ? originPrefix : originPrefix + position;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RawRecord)) {
      return false;
    }
    RawRecord that = (RawRecord) o;
    return position == that.position
        && line.equals(that.line)
        && originPrefix.equals(that.originPrefix)
        && Objects.equals(readError, that.readError);
  }

  @Override
  public int hashCode() {
    return Objects.hash(line, originPrefix, position, readError);
  }

  @Override
  public String toString() {
    String origin = origin();
    String text = origin.isEmpty() ? line : origin + ": " + line;
    return readError == null ? text : text + " (unreadable: " + readError + ")";
  }
}
