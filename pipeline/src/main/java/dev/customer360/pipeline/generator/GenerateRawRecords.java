package dev.customer360.pipeline.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a generated data set: {@code <out>/call_log.jsonl}, {@code <out>/clickstream.jsonl} and
 * {@code <out>/expected-engagements.jsonl} (what a correct run outputs, sorted).
 *
 * <pre>
 * java -cp ... dev.customer360.pipeline.generator.GenerateRawRecords --out=/tmp/data \
 *   --records=10000 --users=500 --duplicateRate=0.08 --conflictRate=0.02 --badRate=0.03 --seed=7 --spanHours=72 \
 *   [--start=2020-03-01T00:00:00|now-30m] [--ordered] [--oversize=false] [--gzip]
 * </pre>
 */
public final class GenerateRawRecords {
  private GenerateRawRecords() {}

  public static void main(String[] args) throws IOException {
    Arguments arguments = new Arguments();
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      if (!arguments.set(kv[0], kv.length > 1 ? kv[1] : "true")) {
        System.err.println("unknown argument " + arg + "; see the class documentation");
        System.exit(2);
      }
    }
    RawRecordGenerator.Generated generated = new RawRecordGenerator(arguments.settings).generate();
    write(arguments.out, generated, arguments.gzip);
    System.out.printf(
        "wrote %s: %d distinct engagements, %d re-delivered lines, %d bad lines%n",
        arguments.out,
        generated.expectedEngagements.size(),
        generated.duplicateLines,
        generated.badLinesBySource.values().stream().mapToInt(List::size).sum());
  }

  /** The command line: the generator's settings, where to write and whether to gzip. */
  private static final class Arguments {
    final RawRecordGenerator.Settings settings = new RawRecordGenerator.Settings();
    Path out = Path.of("generated");
    boolean gzip = false;

    /** Sets the argument {@code --name=value}; false when there is no such argument. */
    boolean set(String name, String value) {
      switch (name) {
        case "out":
          out = Path.of(value);
          break;
        case "records":
          settings.recordsPerSource = Integer.parseInt(value);
          break;
        case "users":
          settings.users = Integer.parseInt(value);
          break;
        case "seed":
          settings.seed = Long.parseLong(value);
          break;
        case "duplicateRate":
          settings.duplicateRate = Double.parseDouble(value);
          break;
        case "conflictRate":
          settings.conflictRate = Double.parseDouble(value);
          break;
        case "badRate":
          settings.badRate = Double.parseDouble(value);
          break;
        case "spanHours":
          settings.spanHours = Integer.parseInt(value);
          break;
        case "ordered":
          settings.shuffle = !Boolean.parseBoolean(value);
          break;
        case "start":
          settings.start = start(value);
          break;
        case "oversize":
          settings.oversize = Boolean.parseBoolean(value);
          break;
        case "gzip":
          gzip = Boolean.parseBoolean(value);
          break;
        default:
          return false;
      }
      return true;
    }
  }

  /** The first event time: yyyy-MM-ddTHH:mm:ss (UTC), or now-30m / now-2h. */
  private static java.time.LocalDateTime start(String value) {
    if (value.startsWith("now-")) {
      long agoMillis = startAgo(value.substring(4)).getMillis();
      return java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)
          .withNano(0)
          .minusNanos(agoMillis * 1_000_000);
    }
    return java.time.LocalDateTime.parse(value);
  }

  /** The {@code <duration>} of {@code --start=now-<duration>}. */
  private static org.joda.time.Duration startAgo(String text) {
    try {
      return dev.customer360.transforms.DurationOption.parse(text).duration();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--start=now-" + text + ": " + e.getMessage(), e);
    }
  }

  /** Writes the raw files (optionally gzip'd) and the expected engagements into {@code dir}. */
  public static void write(Path dir, RawRecordGenerator.Generated generated, boolean gzip)
      throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, List<String>> source : generated.linesBySource.entrySet()) {
      Path file = dir.resolve(source.getKey() + ".jsonl" + (gzip ? ".gz" : ""));
      writeLines(file, source.getValue(), gzip);
    }
    ObjectMapper json = new ObjectMapper();
    List<String> expected = new ArrayList<>();
    for (Map<String, Object> e : generated.expectedEngagements) {
      expected.add(json.writeValueAsString(e));
    }
    expected.sort(null);
    writeLines(dir.resolve("expected-engagements.jsonl"), expected, false);
  }

  private static void writeLines(Path file, List<String> lines, boolean gzip) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream stream = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
        Writer writer =
            new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
      for (String line : lines) {
        writer.write(line);
        writer.write('\n');
      }
    }
  }
}
