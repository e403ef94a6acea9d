package dev.customer360.transforms.values;

/** UTF-8 sizes of strings without encoding them: record limits are in bytes, Java counts chars. */
public final class Utf8 {
  private Utf8() {}

  /** The number of bytes {@code s} takes in UTF-8. */
  public static int length(String s) {
    return prefixChars(s, Integer.MAX_VALUE)[1];
  }

  /**
   * The longest prefix of {@code s} that fits in {@code maxBytes} UTF-8 bytes, never cut inside a
   * character.
   */
  public static String cut(String s, int maxBytes) {
    if ((long) s.length() * 3 <= maxBytes) {
      return s; // even all-3-byte characters fit
    }
    return s.substring(0, prefixChars(s, maxBytes)[0]);
  }

  /** {chars, bytes} of the longest prefix of {@code s} within {@code maxBytes}. */
  private static int[] prefixChars(String s, int maxBytes) {
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + len > maxBytes) {
        break;
      }
      bytes += len;
      i += Character.charCount(cp);
    }
    return new int[] {i, bytes};
  }
}
