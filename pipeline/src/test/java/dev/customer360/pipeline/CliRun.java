package dev.customer360.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The command line run in-process with its console captured: exit code and everything printed. */
final class CliRun {
  private CliRun() {}

  /** Runs {@link Cli#run}; the key is the exit code, the value what it printed on both streams. */
  static Map.Entry<Integer, String> of(String... args) {
    return of(dev.customer360.transforms.StandardSources.ALL, args);
  }

  /** {@link #of(String...)} over the given sources. */
  static Map.Entry<Integer, String> of(
      java.util.List<dev.customer360.transforms.SourceDefinition> sources, String... args) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream err = System.err;
    PrintStream out = System.out;
    PrintStream both = new PrintStream(printed, true, StandardCharsets.UTF_8);
    System.setErr(both);
    System.setOut(both);
    int code;
    try {
      code = Cli.run(args, sources);
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
    return Map.entry(code, printed.toString(StandardCharsets.UTF_8));
  }
}
