package dev.customer360.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes JSON lines to {@code <output>/<name>/<name>-SSSSS-of-NNNNN.json}. Batch only for now: the
 * windows are merged into one set of files at the end of the run.
 */
public final class WriteJsonLines extends PTransform<PCollection<String>, PDone> {
  private static final Logger LOG = LoggerFactory.getLogger(WriteJsonLines.class);

  private final String output;
  private final String name;
  private final int numShards;

  public WriteJsonLines(String output, String name, int numShards) {
    this.output = output;
    this.name = name;
    this.numShards = numShards;
  }

  /** The directory this sink writes into. */
  public static String directory(String output, String name) {
    return output.replaceFirst("/+$", "") + "/" + name;
  }

  /**
   * Deletes the files an earlier run wrote under {@code <output>/<name>/} (only files named like
   * ours), so that a re-run with another shard count leaves no stale shards behind.
   */
  public static void deletePreviousRun(String output, String name) {
    String pattern = directory(output, name) + "/" + name + "-*-of-*.json";
    try {
      MatchResult match =
          FileSystems.match(List.of(pattern), EmptyMatchTreatment.ALLOW).get(0);
      if (match.status() != MatchResult.Status.OK) {
        return;
      }
      List<ResourceId> stale = new ArrayList<>();
      match.metadata().forEach(m -> stale.add(m.resourceId()));
      if (!stale.isEmpty()) {
        LOG.info("Replacing {} file(s) of an earlier run in {}", stale.size(), directory(output, name));
        FileSystems.delete(stale, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot clear " + directory(output, name) + " (" + e.getMessage() + "); check that"
              + " --output is writable", e);
    }
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    TextIO.Write write =
        TextIO.write()
            .to(directory(output, name) + "/" + name)
            .withSuffix(".json")
            .withShardNameTemplate("-SSSSS-of-NNNNN");
    if (numShards > 0) {
      write = write.withNumShards(numShards);
    }
    return lines
        .apply("IntoOneOutputWindow", Window.<String>into(new GlobalWindows()))
        .apply("Write " + name, write);
  }
}
