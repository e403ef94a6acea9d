package dev.customer360.pipeline;

import java.util.Map;

/**
 * What the console shows of the libraries' logs on a run from the command line: their real
 * warnings, not the ones that describe the embedded Flink cluster's setup (~250 lines on the
 * samples). {@code --verbose} shows those too.
 *
 * <p>slf4j-simple fixes a logger's level when the logger is created, from system properties over
 * {@code simplelogger.properties} (the baseline: warnings, and this job's own progress). So {@link
 * Cli#run} calls {@link #configure} first, before anything logs; that makes it a setting of the
 * whole JVM, once. A level given on the command line ({@code
 * -Dorg.slf4j.simpleLogger.log.<logger>=...}, e.g. in {@code JAVA_OPTS}) wins.
 */
final class ConsoleLogging {
  private ConsoleLogging() {}

  private static final String LEVEL_OF = "org.slf4j.simpleLogger.log.";

  /**
   * Loggers whose messages are about the runner's setup or harmless cleanup, not the job, and the
   * level that hides them: {@code error} hides their warnings, {@code off} also an error.
   */
  static final Map<String, String> SETUP_MESSAGES =
      Map.ofEntries(
          // Flink cuts operator names longer than 80 characters in metric names, and says so once
          // per operator and subtask; the web UI still shows each step's whole name.
          Map.entry("org.apache.flink.metrics.MetricGroup", "error"),
          // No Hadoop configuration or native library: the job uses no HDFS, and Java codecs.
          Map.entry("org.apache.flink.runtime.util.HadoopUtils", "error"),
          Map.entry("org.apache.hadoop.util.NativeCodeLoader", "error"),
          // No Kerberos: there are no delegation tokens to obtain or renew.
          Map.entry(
              "org.apache.flink.runtime.security.token.DefaultDelegationTokenManager", "error"),
          // The embedded cluster writes no log file for its web UI to show.
          Map.entry("org.apache.flink.runtime.webmonitor.WebMonitorUtils", "error"),
          // The embedded cluster's RPC system may still be stopping when the JVM exits.
          Map.entry("org.apache.pekko.actor.CoordinatedShutdown", "error"),
          // A stream on Flink: Kafka sources are split outside a task, where Beam cannot record
          // their lineage metric (an ERROR with a stack trace), and the watermark interval is
          // Flink's default.
          Map.entry("org.apache.beam.sdk.metrics.MetricsEnvironment", "off"),
          Map.entry(
              "org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.unbounded"
                  + ".FlinkUnboundedSourceReader",
              "error"),
          // Beam cleans up temporary directories that are already gone; nothing is wrong.
          Map.entry("org.apache.beam.sdk.io.FileBasedSink", "error"));

  /** Hides the setup messages unless {@code verbose}; levels already set as properties stay. */
  static void configure(boolean verbose) {
    if (verbose) {
      return;
    }
    SETUP_MESSAGES.forEach(
        (logger, level) -> {
          if (System.getProperty(LEVEL_OF + logger) == null) {
            System.setProperty(LEVEL_OF + logger, level);
          }
        });
  }

  /**
   * After a run on the embedded Flink cluster, Flink's RPC actor system may still have its JVM
   * shutdown hook registered when the class loader it came from is already closed; the hook then
   * dies with a {@code NoClassDefFoundError} for a Pekko class while the JVM exits, after the run
   * has finished and its output is in place. Unless {@code verbose}, that one error is not printed;
   * any other uncaught error is printed as the JVM would.
   */
  static void quietFlinkShutdownRace(boolean verbose) {
    if (verbose) {
      return;
    }
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) -> {
          if (!isFlinkShutdownRace(thread, error)) {
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            error.printStackTrace(System.err);
          }
        });
  }

  static boolean isFlinkShutdownRace(Thread thread, Throwable error) {
    return thread.getName().startsWith("flink-shutdown-hook")
        && error instanceof NoClassDefFoundError
        && String.valueOf(error.getMessage()).startsWith("org/apache/pekko/");
  }
}
