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
