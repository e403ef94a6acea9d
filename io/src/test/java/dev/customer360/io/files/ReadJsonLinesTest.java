package dev.customer360.io.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.customer360.transforms.values.RawRecord;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.SourceTestUtils;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class ReadJsonLinesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  /** The lines read whole. */
  private static PCollection<String> lines(PCollection<RawRecord> read) {
    return read.apply("Readable", Filter.by((RawRecord r) -> r.readError() == null))
        .apply("Lines", MapElements.into(TypeDescriptors.strings()).via(RawRecord::line));
  }

  /** The records the read could not read whole: the parse step dead-letters them. */
  private static PCollection<RawRecord> unreadable(PCollection<RawRecord> read) {
    return read.apply("Unreadable", Filter.by((RawRecord r) -> r.readError() != null));
  }

  @Test
  public void readsPlainCrlfAndGzipFilesOfOneGlobEachLineWithItsOrigin() throws Exception {
    Path dir = tmp.newFolder().toPath();
    Files.writeString(dir.resolve("a.jsonl"), "{\"n\":1}\r\n{\"n\":2}\r\n");
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("b.jsonl.gz")))) {
      out.write("{\"n\":3}\n{\"n\":4}".getBytes(StandardCharsets.UTF_8));
    }
    PCollection<RawRecord> read =
        pipeline.apply(new ReadJsonLines("--callLogInput", dir + "/*.jsonl*"));
    // A plain file's lines by byte offset (CRLF counted), a compressed one's by line number.
    String plain = RawRecord.byteOf(dir.resolve("a.jsonl").toString());
    String gzipped = RawRecord.lineOf(dir.resolve("b.jsonl.gz").toString());
    PAssert.that(read)
        .containsInAnyOrder(
            RawRecord.at("{\"n\":1}", plain, 0),
            RawRecord.at("{\"n\":2}", plain, 9),
            RawRecord.at("{\"n\":3}", gzipped, 1),
            RawRecord.at("{\"n\":4}", gzipped, 2));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void bzip2AndZstdFilesAreDecompressedByTheirExtension() throws Exception {
    Path dir = tmp.newFolder().toPath();
    compressed(Compression.BZIP2, dir.resolve("a.jsonl.bz2"), "{\"n\":1}\n{\"n\":2}\n");
    compressed(Compression.ZSTD, dir.resolve("b.jsonl.zst"), "{\"n\":3}\r\n{\"n\":4}");
    PCollection<RawRecord> read =
        pipeline.apply(new ReadJsonLines("--callLogInput", dir + "/*.jsonl*"));
    String bzip2 = RawRecord.lineOf(dir.resolve("a.jsonl.bz2").toString());
    String zstd = RawRecord.lineOf(dir.resolve("b.jsonl.zst").toString());
    PAssert.that(read)
        .containsInAnyOrder(
            RawRecord.at("{\"n\":1}", bzip2, 1),
            RawRecord.at("{\"n\":2}", bzip2, 2),
            RawRecord.at("{\"n\":3}", zstd, 1),
            RawRecord.at("{\"n\":4}", zstd, 2));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void lineThatIsNotValidUtf8IsMarkedUnreadableWithWhereAndWhyAndTheOtherLinesAreRead()
      throws Exception {
    Path file = tmp.newFolder().toPath().resolve("clicks.jsonl");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(utf8("{\"user_id\":\"abc\"}\n{\"user_id\":\"abc"));
    bytes.write(0xff);
    bytes.write(utf8("\"}\r\n{\"user_id\":\"abc"));
    bytes.write(0xfe);
    bytes.write(utf8("\"}\n{\"user_id\":\"caf\u00e9\"}\n"));
    Files.write(file, bytes.toByteArray());
    String name = file.toString(); // a String: the checks below are serialized
    PCollection<RawRecord> read = pipeline.apply(new ReadJsonLines("--clickstreamInput", name));
    PAssert.that(lines(read))
        .containsInAnyOrder("{\"user_id\":\"abc\"}", "{\"user_id\":\"caf\u00e9\"}");
    PAssert.that(unreadable(read))
        .satisfies(
            records -> {
              Map<String, RawRecord> byPayload = new TreeMap<>();
              records.forEach(r -> byPayload.put(r.line(), r));
              // Two different customers stay two different dead letters.
              assertEquals(
                  Set.of("{\"user_id\":\"abc\\xFF\"}", "{\"user_id\":\"abc\\xFE\"}"),
                  byPayload.keySet());
              RawRecord ff = byPayload.get("{\"user_id\":\"abc\\xFF\"}");
              // Byte offsets, not line numbers: the same wherever a runner splits the file.
              assertThat(
                  ff.readError(), containsString("the line starting at byte offset 18 of " + name));
              assertThat(ff.readError(), containsString("not valid UTF-8"));
              assertThat(ff.readError(), containsString("byte 16 of the line"));
              assertThat(ff.readError(), containsString("as UTF-8"));
              assertEquals("file:" + name + " byte 18", ff.origin());
              assertThat(
                  byPayload.get("{\"user_id\":\"abc\\xFE\"}").readError(),
                  containsString("the line starting at byte offset 38 of " + name));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void truncatedGzipIsMarkedUnreadableByNameAndTheGoodFilesAndItsFirstLinesAreRead()
      throws Exception {
    Path dir = tmp.newFolder().toPath();
    Files.writeString(dir.resolve("a.jsonl"), "{\"a\":1}\n{\"a\":2}\n");
    gzip(dir.resolve("b.jsonl.gz"), "{\"b\":1}\n{\"b\":2}\n");
    StringBuilder many = new StringBuilder();
    List<String> cutLines = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      String line = "{\"c\":" + i + ",\"pad\":\"" + Integer.toHexString(i * 7919) + "\"}";
      cutLines.add(line);
      many.append(line).append('\n');
    }
    Path cut = dir.resolve("c.jsonl.gz");
    String cutName = cut.toString();
    gzip(cut, many.toString());
    byte[] whole = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));

    PCollection<RawRecord> read = pipeline.apply(new ReadJsonLines("--callLogInput", dir + "/*"));
    PAssert.that(lines(read))
        .satisfies(
            records -> {
              Set<String> got = new HashSet<>();
              records.forEach(got::add);
              assertThat(got, hasItems("{\"a\":1}", "{\"a\":2}", "{\"b\":1}", "{\"b\":2}"));
              // The cut file's lines before the damage: a prefix of it, most of its first half.
              int fromCut = got.size() - 4;
              assertThat(fromCut, greaterThan(1000));
              assertThat(fromCut, lessThan(cutLines.size()));
              assertTrue(got.containsAll(cutLines.subList(0, fromCut)));
              return null;
            });
    PAssert.that(unreadable(read))
        .satisfies(
            records -> {
              List<RawRecord> all = new ArrayList<>();
              records.forEach(all::add);
              assertEquals(1, all.size());
              RawRecord d = all.get(0);
              String error = d.readError();
              assertThat(error, containsString(cutName));
              assertThat(error, containsString("corrupt or truncated"));
              assertThat(error, containsString("lines before the damage were read"));
              // The line at the damage: one after the lines read.
              assertThat(d.origin(), containsString("file:" + cutName + " line "));
              assertTrue(
                  error,
                  error.contains(
                      " its first "
                          + (Long.parseLong(d.origin().replaceAll(".* line ", "")) - 1)
                          + " lines "));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void plainFilesSplitAnywhereGiveEveryLineOnceAndTheSameReasons() throws Exception {
    Path file = tmp.newFolder().toPath().resolve("big.jsonl");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < 200; i++) {
      bytes.write(utf8("{\"n\":" + i + "}" + (i % 3 == 0 ? "\r\n" : "\n")));
      if (i == 150) {
        bytes.write(new byte[] {'x', (byte) 0xC3, '\n', '\n'});
      }
    }
    Files.write(file, bytes.toByteArray());
    PipelineOptions options = PipelineOptionsFactory.create();
    JsonLinesSource source = new JsonLinesSource(file.toString());
    List<RawRecord> all = SourceTestUtils.readFromSource(source, options);
    assertEquals(202, all.size());
    SourceTestUtils.assertSourcesEqualReferenceSource(source, source.split(97, options), options);
    JsonLinesSource single = (JsonLinesSource) source.split(1 << 20, options).get(0);
    SourceTestUtils.assertSplitAtFractionExhaustive(single, options);
    RawRecord bad =
        SourceTestUtils.readFromSource(
                single.createSourceForSubrange(1000, single.getEndOffset()), options)
            .stream()
            .filter(r -> r.readError() != null)
            .findFirst()
            .orElseThrow();
    assertEquals("x\\xC3", bad.line());
    assertEquals("file:" + file + " byte 1451", bad.origin());
    assertThat(bad.readError(), containsString("the line starting at byte offset 1451 of "));
    assertThat(bad.readError(), containsString(" of " + file));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Written by Beam's codec for the format (commons-compress, zstd-jni), as the tools write it. */
  private static void compressed(Compression codec, Path path, String text) throws Exception {
    try (OutputStream out =
        Channels.newOutputStream(
            codec.writeCompressed(Channels.newChannel(Files.newOutputStream(path))))) {
      out.write(utf8(text));
    }
  }

  private static void gzip(Path path, String text) throws Exception {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path))) {
      out.write(utf8(text));
    }
  }

  @Test
  public void globMatchingNothingNamesTheFlag() throws Exception {
    String glob = tmp.getRoot() + "/nothing-*.jsonl";
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReadJsonLines.checkMatchesFiles("--clickstreamInput", glob));
    assertThat(e.getMessage(), containsString("--clickstreamInput=" + glob + " matches no files"));
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReadJsonLines.checkMatchesFiles("--clickstreamInput", null));
    assertThat(missing.getMessage(), containsString("--clickstreamInput is required"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }
}
