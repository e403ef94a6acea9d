package dev.customer360.transforms.values;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.joda.time.Instant;

/**
 * A record that could not become an engagement, with the reason a person can act on. Written as
 * {@code {"source", "error", "payload", "failed_at"}}; the payload is the raw record, cut at {@link
 * #MAX_PAYLOAD_BYTES} so one huge bad record cannot flood the dead letter.
 */
@DefaultCoder(DeadLetterCoder.class)
public final class DeadLetter implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Placeholder before the fix: payloads are still cut at {@link #CUT_PAYLOAD_BYTES}. */
  public static final int MAX_PAYLOAD_BYTES = 512 * 1024;

  public static final int CUT_PAYLOAD_BYTES = 4096;

  private final String source;
  private final String error;
  private final String payload;
  private final Instant failedAt;

  DeadLetter(String source, String error, String payload, Instant failedAt) {
    this.source = source;
    this.error = error;
    this.payload = payload;
    this.failedAt = failedAt;
  }

  /** A dead letter for {@code rawPayload}, failed now. */
  public static DeadLetter of(String source, String error, String rawPayload) {
    return of(source, error, rawPayload, Instant.now());
  }

  public static DeadLetter of(String source, String error, String rawPayload, Instant failedAt) {
    return new DeadLetter(
        source,
        error == null ? "unknown error" : error,
        truncate(rawPayload == null ? "" : rawPayload),
        failedAt);
  }

  /** Cuts {@code s} to at most {@link #MAX_PAYLOAD_BYTES} UTF-8 bytes, never inside a character. */
  static String truncate(String s) {
    return Utf8.cut(s, CUT_PAYLOAD_BYTES);
  }

  /** Placeholder before the fix: today's id. */
  public String id() {
    return Ids.of(source, error, payload);
  }

  /** Placeholder before the fix. */
  public boolean replayable() {
    return true;
  }

  public String source() {
    return source;
  }

  public String error() {
    return error;
  }

  public String payload() {
    return payload;
  }

  public Instant failedAt() {
    return failedAt;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DeadLetter)) {
      return false;
    }
    DeadLetter that = (DeadLetter) o;
    return source.equals(that.source)
        && error.equals(that.error)
        && payload.equals(that.payload)
        && failedAt.equals(that.failedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, error, payload, failedAt);
  }

  @Override
  public String toString() {
    return "DeadLetter{source=" + source + ", error=" + error + ", payload=" + payload + '}';
  }
}
