package dev.customer360.io.files;

import dev.customer360.io.RawRecords;
import dev.customer360.transforms.values.RawRecord;
import dev.customer360.transforms.values.RawRecordCoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.util.Arrays;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileBasedSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;

/**
 * The lines of the files matching a glob, LF or CRLF, decoded as strict UTF-8, as raw records; one
 * that could not be read is {@link RawRecord#unreadable} (why, what to do) with its bytes shown,
 * invalid ones as {@code \xNN}. Each record names its file and its line number (compressed file) or
 * byte offset (plain file), as {@code LineReader.where()} does. A compressed file ({@code .gz},
 * {@code .bz2}, {@code .zst}, ... by extension; a {@code .gz} that is not gzip is read as plain
 * text) is read whole and in order; if it turns out corrupt or truncated, the lines before the
 * damage are kept and the file yields one error record naming it. Plain files split like TextIO's,
 * at any byte: a range owns the lines that start in it.
 */
final class JsonLinesSource extends FileBasedSource<RawRecord> {
  private static final long serialVersionUID = 1L;

  JsonLinesSource(String glob) {
    super(StaticValueProvider.of(glob), EmptyMatchTreatment.DISALLOW, 1);
  }

  private JsonLinesSource(Metadata file, long start, long end) {
    super(file, 1, start, end);
  }

  @Override
  protected FileBasedSource<RawRecord> createForSubrangeOfFile(
      Metadata file, long start, long end) {
    return new JsonLinesSource(file, start, end);
  }

  @Override
  protected FileBasedReader<RawRecord> createSingleFileReader(PipelineOptions options) {
    return new LineReader(this);
  }

  @Override
  protected boolean isSplittable() throws Exception {
    return super.isSplittable() && (getMode() == Mode.FILEPATTERN || !compressed(this));
  }

  @Override
  public Coder<RawRecord> getOutputCoder() {
    return RawRecordCoder.of();
  }

  private static boolean compressed(FileBasedSource<?> source) {
    return Compression.detect(source.getSingleFileMetadata().resourceId().getFilename())
        != Compression.UNCOMPRESSED;
  }

  /** Reads one file or one range of a plain file. */
  static final class LineReader extends FileBasedReader<RawRecord> {
    private final boolean compressed;
    private final String file;

    /** The origin of every line of this file, but for the line number or byte offset. */
    private final String originPrefix;

    private final CharsetDecoder decoder = RawRecords.strictUtf8();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final int[] invalidAt = new int[1];
    private ReadableByteChannel in;
    private byte[] line = new byte[1024];
    private int lineLength;

    /** Position in the (decompressed) stream of the next unread byte. */
    private long position;

    private long lineStart;

    /** Lines returned so far; a range that starts inside a file does not know line numbers. */
    private long lines;

    private boolean lineNumbersKnown;
    private String openError;
    private boolean done;
    private RawRecord current;

    LineReader(JsonLinesSource source) {
      super(source);
      this.compressed = compressed(source);
      this.file = source.getSingleFileMetadata().resourceId().toString();
      this.originPrefix = compressed ? RawRecord.lineOf(file) : RawRecord.byteOf(file);
      buffer.flip();
    }

    @Override
    protected void startReading(ReadableByteChannel channel) throws IOException {
      long start = getCurrentSource().getStartOffset();
      if (compressed) {
        try {
          in = Compression.detect(file).readDecompressed(channel);
        } catch (IOException e) {
          openError = e.toString();
        }
        return;
      }
      in = channel;
      position = start;
      if (start > 0) {
        // The line that starts before this range belongs to the previous one: skip to its end,
        // looking one byte back in case this range starts exactly at a line.
        ((SeekableByteChannel) channel).position(start - 1);
        position = start - 1;
        while (true) {
          if (!buffer.hasRemaining() && !fill()) {
            done = true;
            return;
          }
          position++;
          if (buffer.get() == '\n') {
            return;
          }
        }
      }
    }

    @Override
    protected boolean readNextRecord() throws IOException {
      if (openError != null) {
        current = RawRecord.withOrigin("", RawRecord.fileOf(file)).unreadable(damaged(openError));
        openError = null;
        done = true;
        return true;
      }
      if (done) {
        return false;
      }
      lineStart = position;
      lineLength = 0;
      boolean any = false;
      try {
        while (true) {
          if (!buffer.hasRemaining() && !fill()) {
            done = true;
            if (!any) {
              return false;
            }
            break;
          }
          any = true;
          byte[] bytes = buffer.array();
          int from = buffer.position();
          int end = buffer.limit();
          int i = newlineOrEnd(bytes, from, end);
          append(bytes, from, i - from);
          position += i - from;
          if (i < end) {
            buffer.position(i + 1);
            position++;
            break;
          }
          buffer.position(end);
        }
      } catch (IOException e) {
        // A corrupt or truncated compressed file: keep what was read, name the file, go on.
        done = true;
        current = incompleteLine().unreadable(damaged(e.toString()));
        return true;
      }
      if (lineLength > 0 && line[lineLength - 1] == '\r') {
        lineLength--;
      }
      lines++;
      String text = RawRecords.decode(decoder, line, 0, lineLength, invalidAt);
      current =
          text != null
              ? record(text)
              : record(RawRecords.escaped(line, 0, lineLength))
                  .unreadable(RawRecords.notUtf8(where(), line, invalidAt[0], "line"));
      return true;
    }

    /** The line cut by the damage, the one after those read, its bytes shown as {@code \xNN}. */
    private RawRecord incompleteLine() {
      String text = RawRecords.escaped(line, 0, lineLength);
      return RawRecord.at(text, originPrefix, compressed ? lines + 1 : lineStart);
    }

    /** {@code text} at the current line: its number in a compressed file, else its byte offset. */
    private RawRecord record(String text) {
      return RawRecord.at(text, originPrefix, compressed ? lines : lineStart);
    }

    /**
     * Where the current line is: its line number in a compressed file (read whole, in order); its
     * byte offset in a plain file, which a range that starts inside the file knows and which does
     * not depend on where the runner split the file (dead-letter ids are hashes of the reason).
     */
    private String where() {
      return compressed
          ? "line " + lines + " of " + file
          : "the line starting at byte offset " + lineStart + " of " + file;
    }

    private String damaged(String error) {
      return "file "
          + file
          + " is corrupt or truncated ("
          + error
          + "): its first "
          + lines
          + " lines before the damage were read, the rest of it was not. Replace the file (the"
          + " payload is the incomplete line at the damage, if any) and re-run it";
    }

    private boolean fill() throws IOException {
      buffer.clear();
      int n = 0;
      while (n == 0) {
        n = in.read(buffer);
      }
      buffer.flip();
      return n > 0;
    }

    /**
     * The index of the first {@code '\n'} in {@code bytes[from, end)}, or {@code end}. A method of
     * its own, so the JIT compiles this loop soon: inside {@link #readNextRecord} it ran in the
     * interpreter for most of a 1M-line run on Flink (JFR), a seventh of the job's samples.
     */
    private static int newlineOrEnd(byte[] bytes, int from, int end) {
      int i = from;
      while (i < end && bytes[i] != '\n') {
        i++;
      }
      return i;
    }

    private void append(byte[] bytes, int from, int count) {
      if (lineLength + count > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
      }
      System.arraycopy(bytes, from, line, lineLength, count);
      lineLength += count;
    }

    @Override
    protected long getCurrentOffset() throws NoSuchElementException {
      // A compressed file is one unsplittable record stream: every record at its start.
      return compressed ? 0 : lineStart;
    }

    @Override
    protected boolean isAtSplitPoint() throws NoSuchElementException {
      return !compressed || lines <= 1;
    }

    @Override
    public boolean allowsDynamicSplitting() {
      return !compressed && super.allowsDynamicSplitting();
    }

    @Override
    public RawRecord getCurrent() throws NoSuchElementException {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }
  }
}
