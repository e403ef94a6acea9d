package dev.customer360.transforms.values;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.schemas.annotations.SchemaCaseFormat;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaIgnore;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.CaseFormat;
import org.joda.time.Instant;

/**
 * A record that could not become an engagement, with the reason a person can act on. Declared once:
 * its fields (snake_case, in this order) are what every sink writes ({@link Declared}).
 *
 * <p>The payload is the whole raw record, so it can be replayed, up to {@link #MAX_PAYLOAD_BYTES}
 * as written in JSON (every dead-letter sink writes it as a JSON string or keeps it as text). A
 * bigger record keeps its first {@link #CUT_PAYLOAD_BYTES} and is not {@link #replayable()}: one
 * huge bad record cannot flood the dead letter, and the record still fits Kafka's default 1 MB
 * message limit. The {@link #id()} hashes source, error and the whole payload before any cut, so
 * two different records never share one. It is {@code @SchemaIgnore}: no file or topic has ever
 * carried it; the PostgreSQL sink keys its rows by it. {@link DeadLetterCoder} codes it with the
 * declared fields, which a schema coder would drop.
 */
@SchemaCaseFormat(CaseFormat.LOWER_UNDERSCORE)
@DefaultCoder(DeadLetterCoder.class)
public final class DeadLetter implements Serializable {
  private static final long serialVersionUID = 4L;

  /**
   * Payloads up to 512 KiB, counted as written in a JSON string (UTF-8, with control characters,
   * quotes and backslashes as their escapes), are kept whole.
   */
  public static final int MAX_PAYLOAD_BYTES = 512 * 1024;

  /** A bigger payload keeps its first 4 KiB. */
  public static final int CUT_PAYLOAD_BYTES = 4096;

  /** Errors are ours, but some quote a record; 16 KiB keeps a dead letter within Kafka's 1 MB. */
  static final int MAX_ERROR_BYTES = 16 * 1024;

  /**
   * The step a record failed at, which is where a replay sends it back: a raw record ({@link
   * #PARSE}, {@link #RULES}, {@link #SQL}) to its source's standardization, an engagement ({@link
   * #FUTURE}, {@link #LATE}, {@link #SINK} of an engagement) to dedup. A {@link #READ} failure's
   * payload is not the record (its bytes are not UTF-8) and a {@link #VALIDATE} failure's is the
   * SQL's output, not the raw record: neither is replayable.
   */
  public enum Stage {
    /** The reader: bytes that are not UTF-8, a corrupt file. */
    READ,
    /** Not a JSON object of the source's fields, or over the size limit. */
    PARSE,
    /** A field rule of the source. */
    RULES,
    /** The source's standardization SQL failed on the record. */
    SQL,
    /** The SQL's output is not an engagement. */
    VALIDATE,
    /** An engagement dated too far in the future. */
    FUTURE,
    /** An engagement whose window had closed. */
    LATE,
    /** A row a sink refused. */
    SINK;

    /** The name every sink writes: lower case. */
    public String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The stage named {@code column}, or {@code null} when it names none. */
    public static Stage ofColumn(String column) {
      for (Stage stage : values()) {
        if (stage.column().equals(column)) {
          return stage;
        }
      }
      return null;
    }
  }

  @SchemaIgnore public final String id;
  public final String source;
  public final String error;
  public final String payload;
  public final Instant failedAt;
  public final boolean replayable;
  public final String stage;

  /** 1 when a record first fails; a replay that fails again counts one more. */
  public final int attempts;

  /**
   * Where the raw record came from ({@link RawRecord#origin()}), e.g. {@code
   * file:/data/clicks.jsonl line 17} or {@code kafka:clicks/3@1042}; {@code ""} when not known. Not
   * part of the {@link #id()}: the same record failing the same way is one dead letter.
   */
  public final String origin;

  DeadLetter(
      String id,
      String source,
      String error,
      String payload,
      boolean replayable,
      Instant failedAt,
      String stage,
      int attempts,
      String origin) {
    this.id = id;
    this.source = source;
    this.error = error;
    this.payload = payload;
    this.replayable = replayable;
    this.failedAt = failedAt;
    this.stage = stage;
    this.attempts = attempts;
    this.origin = origin;
  }

  /**
   * A dead letter from its output columns. The id is over the payload given, so a payload that was
   * cut no longer has its original id. A missing stage (written by an older version) stays {@code
   * null} in {@link #stage()}; a missing origin is {@code ""}.
   */
  @SchemaCreate
  public static DeadLetter ofColumns(
      String source,
      String error,
      String payload,
      Instant failedAt,
      boolean replayable,
      String stage,
      int attempts,
      String origin) {
    return new DeadLetter(
        idOf(source, error, payload),
        source,
        error,
        payload,
        replayable,
        failedAt,
        stage == null ? "" : stage,
        attempts,
        origin == null ? "" : origin);
  }

  /** A dead letter for {@code rawPayload}, failed now at {@code stage}. */
  public static DeadLetter of(Stage stage, String source, String error, String rawPayload) {
    return of(stage, source, error, rawPayload, Instant.now());
  }

  public static DeadLetter of(
      Stage stage, String source, String error, String rawPayload, Instant failedAt) {
    String s = source == null ? "" : source;
    String e = error == null ? "unknown error" : cutJson(error, MAX_ERROR_BYTES);
    String whole = rawPayload == null ? "" : rawPayload;
    boolean fits = jsonBytesAtMost(whole, MAX_PAYLOAD_BYTES);
    String payload = fits ? whole : cutJson(whole, CUT_PAYLOAD_BYTES);
    boolean replayable = fits && stage != Stage.READ && stage != Stage.VALIDATE;
    return new DeadLetter(
        idOf(s, e, whole), s, e, payload, replayable, failedAt, stage.column(), 1, "");
  }

  /** A dead letter for {@code record}, failed now at {@code stage}, naming where it came from. */
  public static DeadLetter ofRecord(Stage stage, String source, String error, RawRecord record) {
    return of(stage, source, error, record.line()).withOrigin(record.origin());
  }

  /** The same dead letter, marked as not replayable: its payload is not a record we can resend. */
  public DeadLetter notReplayable() {
    return new DeadLetter(id, source, error, payload, false, failedAt, stage, attempts, origin);
  }

  /**
   * This record failing again on a replay: one more attempt. A new reason is a new dead letter (its
   * own id); the same reason keeps the id, so a sink keyed by it updates the attempts. It keeps
   * this one's origin when {@code again} knows none.
   */
  public DeadLetter failedAgain(DeadLetter again) {
    DeadLetter counted = again.withAttempts(attempts + 1);
    return counted.origin.isEmpty() ? counted.withOrigin(origin) : counted;
  }

  /** The same dead letter after {@code attempts} tries in all. */
  public DeadLetter withAttempts(int attempts) {
    return new DeadLetter(
        id, source, error, payload, replayable, failedAt, stage, attempts, origin);
  }

  /** The same dead letter, from {@code origin} ({@code ""}: not known). */
  public DeadLetter withOrigin(String origin) {
    return new DeadLetter(
        id,
        source,
        error,
        payload,
        replayable,
        failedAt,
        stage,
        attempts,
        origin == null ? "" : origin);
  }

  /**
   * Source and error are length-prefixed: NUL may occur in errors and payloads, so a separator
   * alone could let two different dead letters hash alike.
   */
  private static String idOf(String source, String error, String wholePayload) {
    return Ids.of(source.length() + ":" + source, error.length() + ":" + error, wholePayload);
  }

  /** The bytes {@code c} takes in a JSON string, at most: control characters as {@code \\u00XX}. */
  private static int jsonBytes(int c) {
    if (c < 0x20) {
      return 6;
    }
    if (c == '"' || c == '\\') {
      return 2;
    }
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }

  private static boolean jsonBytesAtMost(String s, int maxBytes) {
    if ((long) s.length() * 6 <= maxBytes) {
      return true; // even all-escaped characters fit
    }
    return prefixChars(s, maxBytes) == s.length();
  }

  /** The longest prefix of {@code s} within {@code maxBytes} of JSON, never inside a character. */
  static String cutJson(String s, int maxBytes) {
    return jsonBytesAtMost(s, maxBytes) ? s : s.substring(0, prefixChars(s, maxBytes));
  }

  private static int prefixChars(String s, int maxBytes) {
    long bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      bytes += jsonBytes(cp);
      if (bytes > maxBytes) {
        break;
      }
      i += Character.charCount(cp);
    }
    return i;
  }

  /** Hash of source, error and the whole payload (before any cut): the sinks' idempotency key. */
  public String id() {
    return id;
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

  /** Whether {@link #payload()} is the whole record, so replaying it replays the record. */
  public boolean replayable() {
    return replayable;
  }

  public Instant failedAt() {
    return failedAt;
  }

  /** The step it failed at; {@code null} for a stage this version does not know. */
  public Stage stage() {
    return Stage.ofColumn(stage);
  }

  public int attempts() {
    return attempts;
  }

  /** Where the raw record came from; {@code ""} when not known. */
  public String origin() {
    return origin;
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
    return id.equals(that.id)
        && source.equals(that.source)
        && error.equals(that.error)
        && payload.equals(that.payload)
        && replayable == that.replayable
        && failedAt.equals(that.failedAt)
        && stage.equals(that.stage)
        && attempts == that.attempts
        && origin.equals(that.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, source, error, payload, replayable, failedAt, stage, attempts, origin);
  }

  @Override
  public String toString() {
    return "DeadLetter{stage="
        + stage
        + ", source="
        + source
        + ", error="
        + error
        + ", payload="
        + payload
        + (replayable ? "" : " (not replayable)")
        + (attempts > 1 ? ", attempts=" + attempts : "")
        + (origin.isEmpty() ? "" : ", origin=" + origin)
        + '}';
  }
}
