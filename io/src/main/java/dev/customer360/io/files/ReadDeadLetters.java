package dev.customer360.io.files;

import dev.customer360.io.RawRecords;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.JsonLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Partition;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Reads the dead letters this job wrote below a directory or {@code s3://} prefix, for a replay.
 * Given {@code <output>/dead-letter}, it follows the lake's manifests ({@code <output>/_manifests},
 * {@link OutputRuns}): the files of every published run (a stream's whole run directory), never a
 * failed run's. A directory without manifests (dead letters copied elsewhere) is read whole. JSON
 * lines (compressed or not) and Parquet files are both read.
 *
 * <p>Out come the dead letters ({@link #DEAD_LETTERS}) and, for a line that is not a dead letter's
 * JSON, a dead letter of its own ({@link RawRecords#DEAD_LETTERS}, stage {@code read}, naming the
 * file and line).
 */
public final class ReadDeadLetters extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  /**
   * The source named by a dead letter about a dead letter that cannot be read (a line, a Kafka
   * record, a table row), whichever location it was read from.
   */
  public static final String SOURCE = "replay";

  private final String location;

  public ReadDeadLetters(String location) {
    this.location = location;
  }

  /**
   * The dead-letter files (as {@link #filesOf}) below {@code location}; fails, naming {@code flag},
   * when there is none.
   */
  public static List<String> checkHoldsFiles(String flag, String location) {
    try {
      List<String> files = filesOf(location);
      if (files.isEmpty()) {
        throw new IllegalArgumentException(
            flag
                + "="
                + location
                + " holds no dead-letter files; give the dead-letter directory of a run's output,"
                + " e.g. out/dead-letter");
      }
      return files;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot list " + flag + "=" + location + ": " + e.getMessage(), e);
    }
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollection<FileIO.ReadableFile> files =
        begin
            .apply("Location", Create.of(location))
            .apply("ListDeadLetterFiles", ParDo.of(new ListFilesFn()))
            .apply(
                "MatchFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply("OpenFiles", FileIO.readMatches().withCompression(Compression.AUTO));
    PCollectionList<FileIO.ReadableFile> byFormat =
        files.apply("ByFormat", Partition.of(2, (file, n) -> isParquet(file) ? 1 : 0));
    PCollectionTuple fromJson =
        byFormat
            .get(0)
            .apply(
                "ReadJsonLines",
                ParDo.of(new ReadJsonFn())
                    .withOutputTags(DEAD_LETTERS, TupleTagList.of(RawRecords.DEAD_LETTERS)));
    PCollection<DeadLetter> fromParquet =
        byFormat
            .get(1)
            .apply(
                "ReadParquet",
                ParquetIO.parseFilesGenericRecords(ReadDeadLetters::fromRecord)
                    .withCoder(dev.customer360.transforms.values.DeadLetterCoder.of()));
    return PCollectionTuple.of(
            DEAD_LETTERS,
            PCollectionList.of(fromJson.get(DEAD_LETTERS))
                .and(fromParquet)
                .apply("FlattenFormats", Flatten.pCollections()))
        .and(RawRecords.DEAD_LETTERS, fromJson.get(RawRecords.DEAD_LETTERS));
  }

  /**
   * A reader of dead letters from one place ({@code what}: a topic, a table) by {@code readFn}: out
   * come {@link #DEAD_LETTERS} and, for what is not a dead letter, {@link RawRecords#DEAD_LETTERS}.
   */
  public static PCollectionTuple readOne(
      PBegin begin, String what, String step, DoFn<String, DeadLetter> readFn) {
    return begin
        .apply("Location", Create.of(what))
        .apply(
            step,
            ParDo.of(readFn)
                .withOutputTags(DEAD_LETTERS, TupleTagList.of(RawRecords.DEAD_LETTERS)));
  }

  private static boolean isParquet(FileIO.ReadableFile file) {
    return file.getMetadata().resourceId().getFilename().endsWith(".parquet");
  }

  /**
   * The files (or, for a stream's run, the globs) of the dead letters below {@code location}, a
   * directory or prefix.
   */
  public static List<String> filesOf(String given) throws IOException {
    String location = given.replaceFirst("/+$", "");
    int slash = location.lastIndexOf('/');
    String output = slash > 0 ? location.substring(0, slash) : ".";
    String name = location.substring(slash + 1);
    List<String> files = new ArrayList<>();
    List<OutputRuns.Run> runs =
        OutputRuns.OUTPUTS.contains(name) ? OutputRuns.published(output) : List.of();
    if (runs.isEmpty()) {
      for (MatchResult.Metadata m : match(location + "/**")) {
        String filename = m.resourceId().getFilename();
        String path = m.resourceId().toString();
        if (filename != null
            && !filename.startsWith(".")
            && !filename.startsWith("_")
            && !path.contains("/.temp-beam")) {
          files.add(path);
        }
      }
      return files;
    }
    for (OutputRuns.Run run : runs) {
      if (run.mode == OutputRuns.Mode.STREAM) {
        files.add(OutputRuns.runDirectory(output, name, run.runId) + "/**");
      } else {
        for (String relative : run.files.getOrDefault(name, List.of())) {
          files.add(output + "/" + relative);
        }
      }
    }
    return files;
  }

  private static List<MatchResult.Metadata> match(String glob) throws IOException {
    MatchResult match = FileSystems.match(List.of(glob), EmptyMatchTreatment.ALLOW).get(0);
    return match.status() == MatchResult.Status.OK ? match.metadata() : List.of();
  }

  /** A dead letter from a Parquet record of this job; fields an older version lacked default. */
  static DeadLetter fromRecord(GenericRecord r) {
    Object failedAt = r.get("failed_at");
    return DeadLetter.ofColumns(
        String.valueOf(r.get("source")),
        String.valueOf(r.get("error")),
        String.valueOf(r.get("payload")),
        failedAt instanceof Number
            ? Instant.ofEpochMilli(((Number) failedAt).longValue())
            : Instant.parse(String.valueOf(failedAt)),
        !Boolean.FALSE.equals(field(r, "replayable")),
        field(r, "stage") == null ? null : String.valueOf(field(r, "stage")),
        field(r, "attempts") instanceof Number ? ((Number) field(r, "attempts")).intValue() : 1,
        field(r, "origin") == null ? null : String.valueOf(field(r, "origin")));
  }

  private static Object field(GenericRecord r, String name) {
    return r.getSchema().getField(name) == null ? null : r.get(name);
  }

  static final class ListFilesFn extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String location, OutputReceiver<String> out) throws IOException {
      filesOf(location).forEach(out::output);
    }
  }

  /** One dead letter per line; a line that is not one becomes a dead letter naming where it is. */
  static final class ReadJsonFn extends DoFn<FileIO.ReadableFile, DeadLetter> {
    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(file.open()), StandardCharsets.UTF_8))) {
        String line;
        long number = 0;
        while ((line = lines.readLine()) != null) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          try {
            out.get(DEAD_LETTERS).output(JsonLines.deadLetterOf(line));
          } catch (IllegalArgumentException e) {
            out.get(RawRecords.DEAD_LETTERS)
                .output(
                    DeadLetter.of(
                        DeadLetter.Stage.READ,
                        SOURCE,
                        "line "
                            + number
                            + " of "
                            + name
                            + " is not a dead letter of this job ("
                            + e.getMessage()
                            + "); replay only the dead-letter directory of a run's output",
                        line));
          }
        }
      }
    }
  }
}
