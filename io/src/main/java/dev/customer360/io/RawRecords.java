package dev.customer360.io;

import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.RawRecord;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Strict UTF-8 for the readers: a source reader decodes its raw records with it and hands one it
 * cannot decode on {@link RawRecord#unreadable}, with where it was and what to do; a dead-letter
 * reader outputs what it could not read as a dead letter of its own ({@link #DEAD_LETTERS}).
 */
public final class RawRecords {
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  /** The end of every encoding dead letter's reason. */
  public static final String FIX_ENCODING =
      "; the payload shows each invalid byte as \\xNN. Write the record as UTF-8 at its producer"
          + " and replay it";

  private RawRecords() {}

  /**
   * The reason for a dead letter whose bytes are not UTF-8: {@code where} it is, the first invalid
   * byte ({@code bytes[invalidAt]}) and its position in the {@code part} (line, value), what to do.
   */
  public static String notUtf8(String where, byte[] bytes, int invalidAt, String part) {
    return where
        + " is not valid UTF-8 (invalid byte 0x"
        + String.format("%02X", bytes[invalidAt] & 0xff)
        + " at byte "
        + (invalidAt + 1)
        + " of the "
        + part
        + ")"
        + FIX_ENCODING;
  }

  /** A strict UTF-8 decoder: malformed input is reported, never replaced with U+FFFD. */
  public static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /**
   * Decodes {@code bytes[offset, offset + length)} as UTF-8. Returns the text, or {@code null} if
   * the bytes are not valid UTF-8; then {@code firstInvalid[0]} is the 0-based index (from {@code
   * offset}) of the first invalid byte.
   */
  public static String decode(
      CharsetDecoder decoder, byte[] bytes, int offset, int length, int[] firstInvalid) {
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    CharBuffer out = CharBuffer.allocate(length);
    decoder.reset();
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      firstInvalid[0] = in.position() - offset;
      return null;
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** The bytes as text: valid UTF-8 as itself, every invalid byte as {@code \xNN}. */
  public static String escaped(byte[] bytes, int offset, int length) {
    CharsetDecoder decoder = strictUtf8();
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    CharBuffer out = CharBuffer.allocate(length);
    StringBuilder text = new StringBuilder(length + 8);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      text.append(out.flip());
      out.clear();
      if (!result.isError()) {
        return text.toString();
      }
      for (int i = 0; i < result.length(); i++) {
        text.append(String.format("\\x%02X", in.get() & 0xff));
      }
    }
  }
}
