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
 * a restore. A firing that was not checkpointed is never written, so files of the same window
 * cannot be split differently after a restart (which left duplicates in other files). Its input is
 * a copy of each firing ({@link WriteOutputFiles.CopyFiringFn}), not Flink's view of window state.
 */
abstract class WritePaneFiles<T, R> extends DoFn<KV<KV<String, Integer>, Iterable<T>>, Void> {
  /** Where a stream's files go and how a record becomes a line or row of one. */
  static final class Target<T, R> implements java.io.Serializable {
    final String directory;
    final String name;
    final String suffix;
    final boolean gzip;
    final int numShards;
    final SerializableFunction<T, R> toRecord;
    final FileIO.Sink<R> sink;

    Target(
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
  }

  private final Target<T, R> target;

  WritePaneFiles(Target<T, R> target) {
    this.target = target;
  }

  final void write(KV<KV<String, Integer>, Iterable<T>> firing, BoundedWindow window, PaneInfo pane)
      throws IOException {
    if (!firing.getValue().iterator().hasNext()) {
      return; // a firing with nothing in it: no file (FileIO writes none either)
    }
    Compression compression = target.gzip ? Compression.GZIP : Compression.UNCOMPRESSED;
    String fileName =
        new WriteOutputFiles.PartitionedNaming(firing.getKey().getKey(), target.name, target.suffix)
            .getFilename(window, pane, target.numShards, firing.getKey().getValue(), compression);
    ResourceId destination =
        FileSystems.matchNewResource(target.directory, true)
            .resolve(fileName, StandardResolveOptions.RESOLVE_FILE);
    ResourceId temp =
        destination
            .getCurrentDirectory()
            .resolve(
                "." + destination.getFilename() + "." + UUID.randomUUID() + ".tmp",
                StandardResolveOptions.RESOLVE_FILE);
    CloseOnce file = new CloseOnce(FileSystems.create(temp, MimeTypes.BINARY));
    // Closing the outermost channel writes the gzip trailer and closes the file under it.
    try (CloseOnce channel =
        target.gzip ? new CloseOnce(Compression.GZIP.writeCompressed(file)) : file) {
      FileIO.Sink<R> out = copyOf(target.sink);
      out.open(channel);
      for (T value : firing.getValue()) {
        out.write(target.toRecord.apply(value));
      }
      out.flush();
    }
    FileSystems.rename(List.of(temp), List.of(destination));
  }

  /** A sink holds its open writer: each file gets its own, as FileIO gives each writer one. */
  @SuppressWarnings("unchecked")
  private static <R> FileIO.Sink<R> copyOf(FileIO.Sink<R> sink) {
    return (FileIO.Sink<R>)
        org.apache.beam.sdk.util.SerializableUtils.clone((java.io.Serializable) sink);
  }

  /** The variant for a runner without checkpoints (the DirectRunner): nothing to restore. */
  static final class Plain<T, R> extends WritePaneFiles<T, R> {
    Plain(Target<T, R> target) {
      super(target);
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
    Stable(Target<T, R> target) {
      super(target);
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
