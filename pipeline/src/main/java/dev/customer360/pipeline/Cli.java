package dev.customer360.pipeline;

import dev.customer360.transforms.SourceDefinition;
import dev.customer360.transforms.StandardSources;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.LoggerFactory;

/** Runs the job from the command line: clear one-line errors, a summary at the end. */
final class Cli {
  private Cli() {}

  /** Returns the process exit code: 0 done, 1 the run failed, 2 bad options. */
  static int run(String[] args) {
    return run(args, StandardSources.ALL);
  }

  /** {@link #run(String[])} over the given sources (a source being added, in its test). */
  static int run(String[] args, List<SourceDefinition> sources) {
    String[] given;
    try {
      given = previewDefault(ConfigFile.apply(args));
    } catch (IllegalArgumentException e) {
      return refused(e, wantsVerbose(args));
    }
    boolean verbose = wantsVerbose(given); // the config file may ask for it too
    // First, before any logger exists: the console's log levels are fixed when loggers are made.
    ConsoleLogging.configure(verbose);
    ConsoleLogging.quietFlinkShutdownRace(verbose);
    PipelineOptionsFactory.register(Customer360Options.class);
    Optional<String> help = Help.requested(given);
    if (help.isPresent()) {
      return Help.print(help.get(), System.out, System.err);
    }
    Pipeline pipeline;
    Customer360Options options;
    try {
      options = CommandLine.parse(withProgress(given));
      verbose = options.getVerbose();
      if (options.getPreview() < 0) {
        throw new IllegalArgumentException(
            "--preview=" + options.getPreview() + ": give a number of records, at least 1");
      }
      if (options.getPreview() > 0) {
        return preview(options, sources, verbose);
      }
      pipeline = Customer360Pipeline.build(options, sources);
    } catch (IllegalArgumentException e) {
      return refused(e, verbose);
    } catch (RuntimeException | LinkageError e) {
      System.err.println("error: the job could not be built: " + rootMessage(e));
      traceOrHint(e, verbose);
      return 2;
    }
    long expired;
    try {
      expired = Customer360Pipeline.prepare(options, sources);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + plain(e.getMessage()));
      traceOrHint(e, verbose);
      return 2;
    } catch (RuntimeException | LinkageError e) {
      System.err.println("error: the job could not be prepared: " + rootMessage(e));
      traceOrHint(e, verbose);
      return 2;
    }
    return runAndPublish(pipeline, options, sources, expired, verbose);
  }

  /** Runs the built job, prints its summary and publishes its output: 0 done, 1 it failed. */
  private static int runAndPublish(
      Pipeline pipeline,
      Customer360Options options,
      List<SourceDefinition> sources,
      long expired,
      boolean verbose) {
    long started = System.nanoTime();
    System.err.printf(
        "Running on %s: output in %s%n", options.getRunner().getSimpleName(), options.getOutput());
    PipelineResult result;
    try {
      result = runWithProgress(pipeline, names(sources), started);
      if (result.getState() != PipelineResult.State.DONE) {
        System.err.println("error: the run ended " + result.getState());
        return 1;
      }
      if (!printSummary(result, options, names(sources))) {
        return 1;
      }
    } catch (RuntimeException | LinkageError e) {
      // LinkageError too: a broken classpath must end the process, not leave it hanging on the
      // runner's non-daemon threads.
      // No static logger in this class: it would exist before ConsoleLogging sets the levels.
      LoggerFactory.getLogger(Cli.class).debug("Run failed", e);
      System.err.println("error: the run failed: " + rootMessage(e));
      traceOrHint(e, verbose);
      return 1;
    }
    try {
      Customer360Pipeline.finish(options, sources, result);
    } catch (RuntimeException e) {
      System.err.println("error: " + rootMessage(e));
      traceOrHint(e, verbose);
      return 1;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (expired > 0) {
      System.out.printf(
          "kafka: %d record(s) expired before this consumer group read them (see the warning"
              + " above)%n",
          expired);
    }
    System.out.printf("finished in %.1f s; output in %s%n", seconds, options.getOutput());
    return 0;
  }

  /** Runners that return at once (the DirectRunner here) get a progress line meanwhile. */
  private static PipelineResult runWithProgress(
      Pipeline pipeline, List<String> sources, long started) {
    PipelineResult result = pipeline.run();
    while (result.waitUntilFinish(PROGRESS_EVERY) == null || !result.getState().isTerminal()) {
      double elapsed = (System.nanoTime() - started) / 1e9;
      System.err.println(RunSummary.of(result, true).progressLine(sources, elapsed));
    }
    return result;
  }

  /**
   * Prints the finished run's summary; false when its totals do not reconcile. Then nothing is
   * published or committed: the last good output stays, the records are read again by the next run.
   */
  private static boolean printSummary(
      PipelineResult result, Customer360Options options, List<String> sources) {
    RunSummary summary = RunSummary.of(result);
    java.util.Set<Customer360Options.Sink> sinks = Customer360Pipeline.sinks(options);
    System.out.print(summary.render(sources, sinks));
    List<String> unreconciled =
        Customer360Pipeline.isStream(options) ? List.of() : summary.unreconciled(sources, sinks);
    if (!unreconciled.isEmpty()) {
      System.err.println(
          "error: the run's totals do not reconcile, so its output is not published and no"
              + " Kafka offset is committed (please report it with this output): "
              + String.join("; ", unreconciled));
      return false;
    }
    System.out.println(RunSummary.RECONCILED);
    return true;
  }

  private static List<String> names(List<SourceDefinition> sources) {
    return sources.stream().map(SourceDefinition::name).collect(Collectors.toList());
  }

  private static final org.joda.time.Duration PROGRESS_EVERY =
      org.joda.time.Duration.standardSeconds(10);

  /**
   * The DirectRunner blocks in {@code run()} by default; let it return so the CLI can print
   * progress while it works (unless the user chose otherwise).
   */
  private static String[] withProgress(String[] args) {
    for (String a : args) {
      if (a.startsWith("--blockOnRun")
          || (a.startsWith("--runner=") && !a.endsWith("DirectRunner"))) {
        return args;
      }
    }
    String[] withFlag = java.util.Arrays.copyOf(args, args.length + 1);
    withFlag[args.length] = "--blockOnRun=false";
    return withFlag;
  }

  /** A bad option: one line naming it, then the stack trace or where to read about options. */
  private static int refused(IllegalArgumentException e, boolean verbose) {
    System.err.println("error: " + plain(e.getMessage()));
    if (verbose) {
      e.printStackTrace();
    } else {
      System.err.println("Run with --help for the options, --verbose for details.");
    }
    return 2;
  }

  private static final java.util.regex.Pattern UNKNOWN_OPTION =
      java.util.regex.Pattern.compile(
          "Class interface \\S+ missing a property named '([^']+)'\\.?");

  /** Beam's wording for a mistyped flag, in the user's terms. */
  static String plain(String message) {
    if (message == null) {
      return "invalid arguments";
    }
    java.util.regex.Matcher m = UNKNOWN_OPTION.matcher(message);
    return m.find() ? m.replaceFirst("unknown option --$1.") : message;
  }

  /** Runs the preview: 0 done, 2 bad options (SQL, inputs), 1 the preview itself failed. */
  private static int preview(
      Customer360Options options, List<SourceDefinition> sources, boolean verbose) {
    try {
      Preview.run(options, sources, options.getPreview(), System.out);
      return 0;
    } catch (IllegalArgumentException e) {
      throw e; // a bad option, input or SQL file: reported like any other
    } catch (RuntimeException e) {
      System.err.println("error: the preview failed: " + rootMessage(e));
      traceOrHint(e, verbose);
      return 1;
    }
  }

  /** {@code --verbose} among the raw arguments: known even when Beam refuses the others. */
  private static boolean wantsVerbose(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--verbose") || a.equals("--verbose=true"));
  }

  /** After a one-line error: the stack trace with {@code --verbose}, else how to get it. */
  private static void traceOrHint(Throwable e, boolean verbose) {
    if (verbose) {
      e.printStackTrace();
    } else {
      System.err.println("Run again with --verbose for the stack trace.");
    }
  }

  /** {@code --preview} without a number means the first 10 records. */
  private static String[] previewDefault(String[] args) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i].equals("--preview")) {
        out[i] = "--preview=" + DEFAULT_PREVIEW;
      }
    }
    return out;
  }

  static final int DEFAULT_PREVIEW = 10;

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = String.valueOf(e.getMessage());
    // Runners often repeat the cause in their message: name it once.
    return t == e || message.contains(String.valueOf(t.getMessage()))
        ? message
        : message + " (cause: " + t + ")";
  }
}
