package dev.customer360.io.files;

import dev.customer360.transforms.values.RawRecord;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads the raw records of one source: files matching a glob, one JSON object per line, LF or CRLF,
 * compressed files decompressed by their extension, decoded as strict UTF-8. Out come the lines as
 * raw records, each with its file and line number (compressed file) or byte offset (plain file); a
 * line that is not UTF-8 (file, line, byte; invalid bytes shown as {@code \xNN}) and a corrupt or
 * truncated compressed file (named, after its lines before the damage) come out {@link
 * RawRecord#unreadable}, for the parse step to dead-letter. Plain files are split and read in
 * parallel like TextIO's; a compressed file is read by one worker, in order.
 */
public final class ReadJsonLines extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String flag;
  private final String glob;

  /**
   * @param flag the option that gave the glob, named in errors (e.g. {@code --callLogInput})
   */
  public ReadJsonLines(String flag, String glob) {
    this.flag = flag;
    this.glob = glob;
  }

  /**
   * Fails now, with the flag's name, if the glob matches no file, rather than deep inside the run.
   */
  public static void checkMatchesFiles(String flag, String glob) {
    if (glob == null || glob.isBlank()) {
      throw new IllegalArgumentException(flag + " is required: give a file or glob of raw records");
    }
    try {
      List<MatchResult> results = FileSystems.match(List.of(glob), EmptyMatchTreatment.ALLOW);
      MatchResult result = results.get(0);
      if (result.status() != MatchResult.Status.OK || result.metadata().isEmpty()) {
        throw new IllegalArgumentException(
            flag + "=" + glob + " matches no files; check the path (globs like dir/*.jsonl work)");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          flag
              + "="
              + glob
              + " cannot be listed ("
              + e.getMessage()
              + "); check the path and,"
              + " for s3://, the endpoint and credentials",
          e);
    }
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin.apply("Read " + flag, Read.from(new JsonLinesSource(glob)));
  }
}
