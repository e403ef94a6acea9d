package dev.customer360.io.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;

/**
 * A stream's file writer: each firing of a (partition, shard) group becomes one whole file, named
 * by its window and pane, written to a hidden temporary name and then renamed over the final name.
 * The same firing always gives the same file, so writing it again after a restore replaces it
 * instead of adding a copy.
 *
 * <p>{@link Stable} is the variant for Flink with checkpoints: {@code @RequiresStableInput} makes
 * the runner hand it only firings a completed checkpoint holds, and hand exactly those again after
 * a restore. A firing that was written but not checkpointed is never written, so files of the same
 * window cannot be split differently after a restart (which left duplicates in other files).
 */
abstract class WritePaneFiles<T, R> extends DoFn<KV<KV<String, Integer>, Iterable<T>>, Void> {
  private final String directory;
  private final String name;
  private final String suffix;
  private final boolean gzip;
  private final int numShards;
  private final SerializableFunction<T, R> toRecord;
  private final FileIO.Sink<R> sink;

  WritePaneFiles(
      String directory,
      String name,
      String suffix,
      boolean gzip,
      int numShards,
      SerializableFunction<T, R> toRecord,
      FileIO.Sink<R> sink) {
    this.directory = directory;
    this.name = name;
    this.suffix = suffix;
    this.gzip = gzip;
    this.numShards = numShards;
    this.toRecord = toRecord;
    this.sink = sink;
  }

  final void write(KV<KV<String, Integer>, Iterable<T>> firing, BoundedWindow window, PaneInfo pane)
      throws IOException {
    if (!firing.getValue().iterator().hasNext()) {
      return; // a firing with nothing in it: no file (FileIO writes none either)
    }
    Compression compression = gzip ? Compression.GZIP : Compression.UNCOMPRESSED;
    String fileName =
        new WriteOutputFiles.PartitionedNaming(firing.getKey().getKey(), name, suffix)
            .getFilename(window, pane, numShards, firing.getKey().getValue(), compression);
    ResourceId target =
        FileSystems.matchNewResource(directory, true)
            .resolve(fileName, StandardResolveOptions.RESOLVE_FILE);
    ResourceId temp =
        target
            .getCurrentDirectory()
            .resolve(
                "." + target.getFilename() + "." + UUID.randomUUID() + ".tmp",
                StandardResolveOptions.RESOLVE_FILE);
    CloseOnce file = new CloseOnce(FileSystems.create(temp, MimeTypes.BINARY));
    // Closing the outermost channel writes the gzip trailer and closes the file under it.
    try (CloseOnce channel = gzip ? new CloseOnce(Compression.GZIP.writeCompressed(file)) : file) {
      FileIO.Sink<R> out = copyOf(sink);
      out.open(channel);
      for (T value : firing.getValue()) {
        out.write(toRecord.apply(value));
      }
      out.flush();
    }
    FileSystems.rename(List.of(temp), List.of(target));
  }

  /** A sink holds its open writer: each file gets its own, as FileIO gives each writer one. */
  @SuppressWarnings("unchecked")
  private static <R> FileIO.Sink<R> copyOf(FileIO.Sink<R> sink) {
    return (FileIO.Sink<R>)
        org.apache.beam.sdk.util.SerializableUtils.clone((java.io.Serializable) sink);
  }

  /** The variant for a runner without checkpoints (the DirectRunner): nothing to restore. */
  static final class Plain<T, R> extends WritePaneFiles<T, R> {
    Plain(
        String directory,
        String name,
        String suffix,
        boolean gzip,
        int numShards,
        SerializableFunction<T, R> toRecord,
        FileIO.Sink<R> sink) {
      super(directory, name, suffix, gzip, numShards, toRecord, sink);
    }

    @ProcessElement
    public void process(
        @Element KV<KV<String, Integer>, Iterable<T>> firing, BoundedWindow window, PaneInfo pane)
        throws IOException {
      write(firing, window, pane);
    }
  }

  /** The variant for a runner with checkpoints; see the class comment. */
  static final class Stable<T, R> extends WritePaneFiles<T, R> {
    Stable(
        String directory,
        String name,
        String suffix,
        boolean gzip,
        int numShards,
        SerializableFunction<T, R> toRecord,
        FileIO.Sink<R> sink) {
      super(directory, name, suffix, gzip, numShards, toRecord, sink);
    }

    @RequiresStableInput
    @ProcessElement
    public void process(
        @Element KV<KV<String, Integer>, Iterable<T>> firing, BoundedWindow window, PaneInfo pane)
        throws IOException {
      write(firing, window, pane);
    }
  }

  /**
   * Closes the file's channel once: a sink may close it when it flushes (Parquet does), and closing
   * an object-storage channel twice fails the upload.
   */
  private static final class CloseOnce implements WritableByteChannel {
    private final WritableByteChannel channel;

    CloseOnce(WritableByteChannel channel) {
      this.channel = channel;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return channel.write(src);
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
      if (channel.isOpen()) {
        channel.close();
      }
    }
  }
}
