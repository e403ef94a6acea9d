package dev.customer360.transforms.values;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;

/**
 * Deterministic ids: the first 128 bits of SHA-256 over fields joined by a NUL, in hex; and the one
 * normalization every source's user and source ids get before they are hashed.
 */
public final class Ids {
  private Ids() {}

  /**
   * The id {@code raw} stands for: NFC-normalized (so {@code e + U+0301} and {@code é} are one
   * customer), with Unicode whitespace, zero-width characters and byte-order marks trimmed from
   * both ends. Characters inside are kept; {@link #problem} rejects control characters.
   */
  public static String normalize(String raw) {
    if (raw == null) {
      return null;
    }
    String nfc =
        Normalizer.isNormalized(raw, Normalizer.Form.NFC)
            ? raw
            : Normalizer.normalize(raw, Normalizer.Form.NFC);
    int start = 0;
    int end = nfc.length();
    while (start < end && isTrimmed(nfc.charAt(start))) {
      start++;
    }
    while (end > start && isTrimmed(nfc.charAt(end - 1))) {
      end--;
    }
    return nfc.substring(start, end);
  }

  /**
   * What is wrong with the normalized id {@code id} named {@code name}, or {@code null} if nothing:
   * it must not be empty, and must hold no control character (NUL separates the fields of an event
   * id, so an id holding one could make two events share an id).
   */
  public static String problem(String name, String id) {
    if (id == null || id.isEmpty()) {
      return name
          + " is missing or empty (whitespace, zero-width characters and byte-order marks do not"
          + " count)";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.getType(c) == Character.CONTROL) {
        return String.format(
            "%s contains control character U+%04X at character %d; remove it (ids must not"
                + " contain control characters)",
            name, (int) c, i + 1);
      }
    }
    return null;
  }

  /**
   * Unicode White_Space (but not the C0 separators U+001C..U+001F, which Java's isWhitespace
   * counts) plus the invisible zero-width characters and the byte-order mark.
   */
  private static boolean isTrimmed(char c) {
    switch (c) {
      case '\t':
      case '\n':
      case 0x0B:
      case '\f':
      case '\r':
      case ' ':
      case 0x85:
      case 0xA0:
      case 0x1680:
      case 0x2028:
      case 0x2029:
      case 0x202F:
      case 0x205F:
      case 0x3000:
      case 0x180E:
      case 0x200B:
      case 0x200C:
      case 0x200D:
      case 0x2060:
      case 0xFEFF:
        return true;
      default:
        return c >= 0x2000 && c <= 0x200A;
    }
  }

  /**
   * The id of {@code fields}. Callers keep NUL out of them ({@link #problem}), so field boundaries
   * stay apart.
   */
  public static String of(String... fields) {
    String key = String.join("\u0000", fields);
    byte[] digest = SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8));
    return HEX.formatHex(digest, 0, 16);
  }

  private static final HexFormat HEX = HexFormat.of();

  /** One digest per thread: looking the algorithm up costs about as much as hashing a record. */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is required by every Java platform", e);
            }
          });
}
