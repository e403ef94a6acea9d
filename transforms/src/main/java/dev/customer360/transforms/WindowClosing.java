package dev.customer360.transforms;

/**
 * When a fixed window ({@code FixedWindows.of}, aligned to the epoch) stops accepting data: the
 * streaming dedup calls an engagement late, and releases the ids it holds, by these rules.
 */
final class WindowClosing {
  private WindowClosing() {}

  /** The start of the fixed window of {@code size} ms holding {@code millis}. */
  static long windowStart(long millis, long size) {
    return millis - Math.floorMod(millis, size);
  }

  /**
   * The last moment the window holding {@code millis} accepts data: its last millisecond (end - 1)
   * plus the allowed lateness.
   */
  static long closingTime(long millis, long size, long allowedLateness) {
    long maxTimestamp = windowStart(millis, size) + size - 1;
    return maxTimestamp + allowedLateness;
  }

  /**
   * Whether a window closing at {@code closingTime} is closed at {@code watermark}: an engagement
   * of it is late, and the ids of it can be released. At the closing time itself it is still open.
   */
  static boolean isClosed(long closingTime, long watermark) {
    return closingTime < watermark;
  }

  /** The event-time timer that fires once a window closing at {@code closingTime} is closed. */
  static long releaseAt(long closingTime) {
    return closingTime + 1;
  }
}
