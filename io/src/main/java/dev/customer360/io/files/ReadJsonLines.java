package dev.customer360.io.files;

import dev.customer360.io.RawRecords;
import dev.customer360.transforms.MetricNames;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.RawRecord;
import dev.customer360.transforms.values.RawRecordCoder;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads the raw records of one source: files matching a glob, one JSON object per line, LF or CRLF,
 * compressed files decompressed by their extension, decoded as strict UTF-8. Out come the lines
 * ({@link RawRecords#RECORDS}), each with its file and line number (compressed file) or byte offset
 * (plain file), and dead letters ({@link RawRecords#DEAD_LETTERS}) for a line that is not UTF-8
 * (file, line, byte; payload with invalid bytes as {@code \xNN}) and for a corrupt or truncated
 * compressed file (named, after its lines before the damage). Plain files are split and read in
 * parallel like TextIO's; a compressed file is read by one worker, in order.
 */
public final class ReadJsonLines extends PTransform<PBegin, PCollectionTuple> {
  private final String source;
  private final String flag;
  private final String glob;

  /**
   * @param source the source the records belong to, named in dead letters
   * @param flag the option that gave the glob, named in errors (e.g. {@code --callLogInput})
   */
  public ReadJsonLines(String source, String flag, String glob) {
    this.source = source;
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
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple read =
        begin
            .apply("Read " + flag, Read.from(new JsonLinesSource(glob)))
            .apply(
                "LinesAndUnreadable",
                ParDo.of(new RouteFn(source))
                    .withOutputTags(RawRecords.RECORDS, TupleTagList.of(RawRecords.DEAD_LETTERS)));
    read.get(RawRecords.RECORDS).setCoder(RawRecordCoder.of());
    return read;
  }

  /** Good lines to the records, the rest to the dead letters, counted as records read. */
  static final class RouteFn extends DoFn<KV<String, RawRecord>, RawRecord> {
    private final String source;
    private final Counter recordsRead;

    RouteFn(String source) {
      this.source = source;
      // The parse step counts the records it sees; these never reach it.
      this.recordsRead = Metrics.counter(ReadJsonLines.class, MetricNames.recordsRead(source));
    }

    @ProcessElement
    public void process(@Element KV<String, RawRecord> line, MultiOutputReceiver out) {
      if (line.getKey().isEmpty()) {
        out.get(RawRecords.RECORDS).output(line.getValue());
      } else {
        recordsRead.inc();
        out.get(RawRecords.DEAD_LETTERS)
            .output(
                DeadLetter.ofRecord(DeadLetter.Stage.READ, source, line.getKey(), line.getValue()));
      }
    }
  }
}
