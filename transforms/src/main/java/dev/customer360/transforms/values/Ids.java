package dev.customer360.transforms.values;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic ids: the first 128 bits of SHA-256 over fields joined by a NUL, in hex. */
public final class Ids {
  private Ids() {}

  /** The id of {@code fields}; NUL cannot occur in them, so field boundaries stay apart. */
  public static String of(String... fields) {
    String key = String.join("\u0000", fields);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
