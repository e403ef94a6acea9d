package dev.customer360.io.files;

import dev.customer360.transforms.WindowEngagements;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Writes one output of one run below {@code --output}, partitioned Hive-style and per window:
 * {@code <output>/<name>/run=<id>/<partition>/<name>-<window>[-p<pane>]-SSSSS-of-NNNNN.<ext>}
 * ({@link OutputRuns} publishes the run when it has succeeded). Names are deterministic: the same
 * input gives the same files. Each window's files are written when the window fires, so this works
 * for streams as well as batches; on a stream, output in the global window (dead letters) is
 * written every minute.
 */
public final class WriteOutputFiles<T> extends PTransform<PCollection<T>, PDone> {

  /** How often a stream's global-window output (dead letters) is written. */
  static final Duration GLOBAL_WINDOW_FLUSH = Duration.standardMinutes(1);

  /**
   * The file formats ({@code --format}). Constants are spelled as on the command line: Beam reads
   * an enum option by the constant's name.
   */
  public enum Format {
    json,
    parquet
  }

  /** Compression of JSON-lines files ({@code --compression}), spelled as on the command line. */
  public enum JsonCompression {
    none,
    gzip
  }

  private final String output;
  private final String runId;
  private final OutputFile<T> file;
  private final Format format;
  private final JsonCompression compression;
  private final boolean gzip;
  private final int numShards;
  private final @Nullable Duration recordWindow;
  private final boolean stableInput;

  public WriteOutputFiles(
      String output,
      String runId,
      OutputFile<T> file,
      Format format,
      JsonCompression compression,
      int numShards) {
    this(output, OutputRuns.checkRunId(runId), file, format, compression, numShards, null, false);
  }

  private WriteOutputFiles(
      String output,
      String runId,
      OutputFile<T> file,
      Format format,
      JsonCompression compression,
      int numShards,
      @Nullable Duration recordWindow,
      boolean stableInput) {
    this.output = output;
    this.runId = runId;
    this.file = file;
    this.format = format;
    this.compression = compression;
    this.gzip = compression == JsonCompression.gzip;
    this.numShards = numShards;
    this.recordWindow = recordWindow;
    this.stableInput = stableInput;
  }

  /**
   * Names the files of records in the global window (a batch) by the fixed window of {@code size}
   * that holds each record's event time, as a stream's windows name them: the batch then groups its
   * writes in the global window, which Flink does in one sorted pass.
   */
  public WriteOutputFiles<T> namedByWindowsOf(Duration size) {
    if (file.eventTime() == null) {
      throw new IllegalArgumentException(file.name() + " has no event time to name windows by");
    }
    return new WriteOutputFiles<>(
        output, runId, file, format, compression, numShards, size, stableInput);
  }

  /**
   * On a runner that restores streams from checkpoints (Flink with {@code
   * --checkpointingInterval}): a stream's files are written only from firings a checkpoint holds,
   * so a restore writes the same files again rather than other ones ({@link WritePaneFiles}).
   */
  public WriteOutputFiles<T> withStableInput(boolean stable) {
    return new WriteOutputFiles<>(
        output, runId, file, format, compression, numShards, recordWindow, stable);
  }

  @Override
  public PDone expand(PCollection<T> records) {
    PCollection<T> input = records;
    if (records.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      if (numShards < 1) {
        throw new IllegalArgumentException(
            "a stream is written in a fixed number of shards: at least 1, got " + numShards);
      }
      if (records.getWindowingStrategy().getWindowFn() instanceof GlobalWindows) {
        input =
            records.apply(
                "FlushEveryMinute",
                Window.<T>into(new GlobalWindows())
                    .triggering(
                        Repeatedly.forever(
                            AfterProcessingTime.pastFirstElementInPane()
                                .plusDelayOf(GLOBAL_WINDOW_FLUSH)))
                    .withAllowedLateness(Duration.ZERO)
                    .discardingFiredPanes());
      }
    }
    String suffix = format == Format.parquet ? ".parquet" : ".json";
    String name = file.name();
    SerializableFunction<T, String> destination = file.partition();
    if (recordWindow != null
        && records.getWindowingStrategy().getWindowFn() instanceof GlobalWindows) {
      destination = new PartitionAndWindow<>(file, recordWindow.getMillis());
    }
    if (records.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      writeStream(input, destination, suffix);
      return PDone.in(records.getPipeline());
    }
    FileIO.Write<String, T> write =
        FileIO.<String, T>writeDynamic()
            .by(destination)
            .withDestinationCoder(StringUtf8Coder.of())
            .to(OutputRuns.runDirectory(output, name, runId))
            .withNaming(partition -> new PartitionedNaming(partition, name, suffix));
    if (numShards > 0) {
      write = write.withNumShards(numShards);
    }
    if (format == Format.parquet) {
      org.apache.avro.Schema avro = AvroUtils.toAvroSchema(file.schema());
      write =
          write.via(
              Contextful.fn(new ToGenericRecord<>(file.row(), avro.toString())),
              ParquetIO.sink(avro).withCompressionCodec(CompressionCodecName.SNAPPY));
    } else {
      write = write.via(Contextful.fn(file.json()), TextIO.sink());
      if (gzip) {
        write = write.withCompression(Compression.GZIP);
      }
      if (numShards == 0) {
        // Each worker writes its records of a partition and window straight into a file of its
        // own, without a grouping before the files (as Flink's file sink writes). It keeps one
        // file open per partition and window it meets: a JSON writer is a small buffer; Parquet
        // keeps Beam's limit of 20 (the rest through a grouping), as its writer holds up to a row
        // group in memory.
        write = write.withNoSpilling();
      }
    }
    input.apply("Write " + name, write);
    return PDone.in(records.getPipeline());
  }

  /**
   * A stream: each firing of a (partition, shard) group is one file ({@link WritePaneFiles}). The
   * shard is a hash of the record's JSON line, so the same records always land in the same files.
   */
  private void writeStream(
      PCollection<T> input, SerializableFunction<T, String> destination, String suffix) {
    String directory = OutputRuns.runDirectory(output, file.name(), runId);
    PCollection<KV<KV<String, Integer>, Iterable<T>>> firings =
        input
            .apply(
                "Key " + file.name() + " by file",
                ParDo.of(new KeyByFileFn<>(destination, file.json(), numShards)))
            .setCoder(
                KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()), input.getCoder()))
            .apply("Group " + file.name() + " by file", GroupByKey.create());
    if (stableInput) {
      firings = firings.apply("Copy " + file.name() + " firings", ParDo.of(new CopyFiringFn<>()));
    }
    if (format == Format.parquet) {
      org.apache.avro.Schema avro = AvroUtils.toAvroSchema(file.schema());
      firings.apply(
          "Write " + file.name(),
          ParDo.of(
              paneWriter(
                  directory,
                  suffix,
                  new ToGenericRecord<>(file.row(), avro.toString()),
                  ParquetIO.sink(avro).withCompressionCodec(CompressionCodecName.SNAPPY))));
    } else {
      firings.apply(
          "Write " + file.name(),
          ParDo.of(paneWriter(directory, suffix, file.json(), TextIO.sink())));
    }
  }

  private <R> WritePaneFiles<T, R> paneWriter(
      String directory, String suffix, SerializableFunction<T, R> toRecord, FileIO.Sink<R> sink) {
    WritePaneFiles.Target<T, R> target =
        new WritePaneFiles.Target<>(
            directory, file.name(), suffix, gzip, numShards, toRecord, sink);
    return stableInput ? new WritePaneFiles.Stable<>(target) : new WritePaneFiles.Plain<>(target);
  }

  /**
   * A firing as a list of its own. Flink's grouping hands over a view of its window state, which it
   * clears and refills for the next firing; a stable-input step keeps the element it was given
   * until a checkpoint completes, and by then that view shows other records (or none).
   */
  static final class CopyFiringFn<K, V> extends DoFn<KV<K, Iterable<V>>, KV<K, Iterable<V>>> {
    @ProcessElement
    public void process(
        @Element KV<K, Iterable<V>> firing, OutputReceiver<KV<K, Iterable<V>>> out) {
      List<V> copy = new ArrayList<>();
      firing.getValue().forEach(copy::add);
      out.output(KV.of(firing.getKey(), copy));
    }
  }

  /** {@code ((partition, shard), record)}: the file a stream's record goes to. */
  static final class KeyByFileFn<T> extends DoFn<T, KV<KV<String, Integer>, T>> {
    private final SerializableFunction<T, String> destination;
    private final SerializableFunction<T, String> json;
    private final int numShards;

    KeyByFileFn(
        SerializableFunction<T, String> destination,
        SerializableFunction<T, String> json,
        int numShards) {
      this.destination = destination;
      this.json = json;
      this.numShards = numShards;
    }

    @ProcessElement
    public void process(@Element T record, OutputReceiver<KV<KV<String, Integer>, T>> out) {
      int shard = numShards == 1 ? 0 : Math.floorMod(json.apply(record).hashCode(), numShards);
      out.output(KV.of(KV.of(destination.apply(record), shard), record));
    }
  }

  /** Typed record for Parquet, through the output's Beam schema. */
  static final class ToGenericRecord<T> implements SerializableFunction<T, GenericRecord> {
    private final SerializableFunction<T, org.apache.beam.sdk.values.Row> row;
    private final String avroSchemaJson;
    private transient org.apache.avro.Schema avroSchema;

    ToGenericRecord(
        SerializableFunction<T, org.apache.beam.sdk.values.Row> row, String avroSchemaJson) {
      this.row = row;
      this.avroSchemaJson = avroSchemaJson;
    }

    @Override
    public GenericRecord apply(T value) {
      if (avroSchema == null) {
        avroSchema = new org.apache.avro.Schema.Parser().parse(avroSchemaJson);
      }
      return AvroUtils.toGenericRecord(row.apply(value), avroSchema);
    }
  }

  /** {@code <partition>|<window start millis>}: a destination that carries its record's window. */
  static final class PartitionAndWindow<T> implements SerializableFunction<T, String> {
    static final char SEPARATOR = '|';
    private final OutputFile<T> file;
    private final long size;

    PartitionAndWindow(OutputFile<T> file, long size) {
      this.file = file;
      this.size = size;
    }

    @Override
    public String apply(T record) {
      long millis = file.eventTime().apply(record).getMillis();
      return file.partition().apply(record) + SEPARATOR + WindowEngagements.startOf(millis, size);
    }
  }

  /** {@code <partition>/<name>-<window>[-p<pane>]-SSSSS-of-NNNNN<suffix>[.gz]}. */
  static final class PartitionedNaming implements FileIO.Write.FileNaming {
    private static final DateTimeFormatter WINDOW =
        DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmm").withZone(ZoneOffset.UTC);
    // Windows shorter than a minute would share a name and overwrite each other's files.
    private static final DateTimeFormatter WINDOW_SECONDS =
        DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final String partition;
    private final String name;
    private final String suffix;

    PartitionedNaming(String partition, String name, String suffix) {
      this.partition = partition;
      this.name = name;
      this.suffix = suffix;
    }

    @Override
    public String getFilename(
        BoundedWindow window,
        PaneInfo pane,
        int numShards,
        int shardIndex,
        Compression compression) {
      String windowTag = "all";
      String partition = this.partition;
      int separator = partition.indexOf(PartitionAndWindow.SEPARATOR);
      if (separator >= 0) {
        windowTag = windowTag(Long.parseLong(partition.substring(separator + 1)));
        partition = partition.substring(0, separator);
      } else if (window instanceof IntervalWindow) {
        windowTag = windowTag(((IntervalWindow) window).start().getMillis());
      }
      // A window that fires more than once (a stream) gets one file set per firing.
      String paneTag =
          pane == null || (pane.isFirst() && pane.isLast()) ? "" : "-p" + pane.getIndex();
      return String.format(
          "%s/%s-%s%s-%05d-of-%05d%s%s",
          partition,
          name,
          windowTag,
          paneTag,
          shardIndex,
          numShards,
          suffix,
          compression.getSuggestedSuffix());
    }

    private static String windowTag(long start) {
      return (start % 60_000 == 0 ? WINDOW : WINDOW_SECONDS)
          .format(java.time.Instant.ofEpochMilli(start));
    }
  }
}
