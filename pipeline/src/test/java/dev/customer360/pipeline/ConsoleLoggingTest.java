package dev.customer360.pipeline;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Only Flink's known shutdown race is kept off the console; every other error still shows. */
@RunWith(JUnit4.class)
public class ConsoleLoggingTest {
  private static final NoClassDefFoundError PEKKO =
      new NoClassDefFoundError("org/apache/pekko/actor/CoordinatedShutdown$JvmExitReason$");

  @Test
  public void theFlinkShutdownHooksMissingPekkoClassIsTheRace() {
    assertTrue(ConsoleLogging.isFlinkShutdownRace(new Thread("flink-shutdown-hook-1"), PEKKO));
  }

  @Test
  public void anyOtherThreadOrErrorIsNot() {
    assertFalse(ConsoleLogging.isFlinkShutdownRace(new Thread("main"), PEKKO));
    assertFalse(
        ConsoleLogging.isFlinkShutdownRace(
            new Thread("flink-shutdown-hook-1"), new NoClassDefFoundError("org/example/Mine")));
    assertFalse(
        ConsoleLogging.isFlinkShutdownRace(
            new Thread("flink-shutdown-hook-1"), new IllegalStateException("org/apache/pekko/x")));
    assertFalse(
        ConsoleLogging.isFlinkShutdownRace(
            new Thread("flink-shutdown-hook-1"), new NoClassDefFoundError()));
  }
}
