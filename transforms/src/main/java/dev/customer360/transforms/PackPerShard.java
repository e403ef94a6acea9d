package dev.customer360.transforms;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Batch grouping by shard, made cheap: packs the values of each shard within a bundle into one
 * encoded block ({@code KV<shard, byte[]>}, at the earliest timestamp packed), so that the
 * GroupByKey that follows moves a few blocks instead of every element. The DirectRunner pays per
 * element in a GroupByKey (timers, triggers) and copies a group's values once per input bundle;
 * both costs fall with the number and the complexity of the values. Global window only.
 */
final class PackPerShard<T> extends DoFn<KV<Integer, T>, KV<Integer, byte[]>> {
  private final Coder<T> coder;
  private transient Map<Integer, Block> blocks;

  PackPerShard(Coder<T> coder) {
    this.coder = coder;
  }

  private static final class Block {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    Instant earliest = BoundedWindow.TIMESTAMP_MAX_VALUE;
  }

  @StartBundle
  public void startBundle() {
    blocks = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, T> element, @Timestamp Instant timestamp, BoundedWindow window)
      throws IOException {
    if (!(window instanceof GlobalWindow)) {
      throw new IllegalStateException("PackPerShard needs the global window, got " + window);
    }
    Block block = blocks.computeIfAbsent(element.getKey(), shard -> new Block());
    coder.encode(element.getValue(), block.bytes);
    if (timestamp.isBefore(block.earliest)) {
      block.earliest = timestamp;
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    blocks.forEach(
        (shard, block) ->
            context.output(
                KV.of(shard, block.bytes.toByteArray()), block.earliest, GlobalWindow.INSTANCE));
    blocks = null;
  }

  /** Hands every value packed into {@code blocks}, decoded, to {@code each}, one at a time. */
  static <T> void unpack(Iterable<byte[]> blocks, Coder<T> coder, Consumer<T> each) {
    try {
      for (byte[] block : blocks) {
        ByteArrayInputStream in = new ByteArrayInputStream(block);
        while (in.available() > 0) {
          each.accept(coder.decode(in));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot decode a packed shard block", e);
    }
  }
}
