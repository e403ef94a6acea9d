package dev.customer360.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outputs of a run over {@code src/samples}, committed under {@code
 * src/test/resources/golden/}: a restructuring of the job must reproduce them on every runner.
 * After a deliberate change of the outputs, rewrite them with {@code -Dgolden.update=true} and
 * review the diff.
 */
final class GoldenOutputs {
  static final Path ROOT = Checkout.ROOT;
  static final Path DIR = Checkout.MODULE.resolve("src/test/resources/golden");
  static final List<String> OUTPUTS =
      List.of(
          Customer360Pipeline.ENGAGEMENTS,
          Customer360Pipeline.PROFILES,
          Customer360Pipeline.DEAD_LETTER,
          "conflicts");
  private static final ObjectMapper JSON = new ObjectMapper();

  private GoldenOutputs() {}

  /** The arguments of a run over the samples into {@code output}. */
  static List<String> sampleArgs(Path output) {
    return List.of(
        "--callLogInput=" + ROOT.resolve("src/samples/call_log.jsonl"),
        "--clickstreamInput=" + ROOT.resolve("src/samples/clickstream.jsonl"),
        "--output=" + output);
  }

  /**
   * One output as sorted JSON lines, without the time a dead letter was written and with the
   * checkout's path in its origin as {@code <repo>}.
   */
  static List<String> canonical(Path output, String name) {
    try {
      List<String> lines = new ArrayList<>();
      Path dir = output.resolve(name);
      if (!Files.exists(dir)) {
        return lines;
      }
      for (Map<String, Object> record : Expected.readJsonLines(dir)) {
        record.remove("failed_at");
        record.computeIfPresent(
            "origin", (k, v) -> v.toString().replace(ROOT.toString(), "<repo>"));
        lines.add(JSON.writeValueAsString(record));
      }
      lines.sort(null);
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path golden(String name) {
    return DIR.resolve(name + ".jsonl");
  }

  /** The committed lines of one output ({@code update}: first replaced by {@code actual}). */
  static List<String> expected(String name, List<String> actual) {
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(DIR);
        Files.write(golden(name), actual);
      }
      return Files.readAllLines(golden(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
