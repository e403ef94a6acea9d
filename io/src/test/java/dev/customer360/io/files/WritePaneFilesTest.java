package dev.customer360.io.files;

import static org.junit.Assert.assertEquals;

import dev.customer360.transforms.values.Engagement;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** A stream's firing is one whole file: written again, it replaces itself. */
@RunWith(JUnit4.class)
public class WritePaneFilesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final IntervalWindow WINDOW =
      new IntervalWindow(
          Instant.parse("2020-11-16T14:00:00Z"), Instant.parse("2020-11-16T15:00:00Z"));
  private static final PaneInfo EARLY =
      PaneInfo.createPane(true, false, PaneInfo.Timing.EARLY, 0, -1);

  @BeforeClass
  public static void fileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  private static Engagement at(String user) {
    return Engagement.of(user, Instant.parse("2020-11-16T14:32:19Z"), "website", "site", 1);
  }

  private WritePaneFiles<Engagement, String> writer(Path dir, boolean gzip) {
    return new WritePaneFiles.Plain<>(
        new WritePaneFiles.Target<>(
            dir.toString(),
            "engagements",
            ".json",
            gzip,
            1,
            OutputFile.ENGAGEMENTS.json(),
            TextIO.sink()));
  }

  private static KV<KV<String, Integer>, Iterable<Engagement>> firing(Engagement... engagements) {
    return KV.of(KV.of("dt=2020-11-16/hour=14", 0), List.of(engagements));
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
  }

  @Test
  public void aFiringWrittenAgainReplacesItsFileAndLeavesNoTemporaryFile() throws Exception {
    Path dir = tmp.newFolder().toPath();
    writer(dir, false).write(firing(at("u1"), at("u2")), WINDOW, EARLY);
    // After a restore the same firing (a stable input's replay) is written again.
    writer(dir, false).write(firing(at("u1"), at("u2")), WINDOW, EARLY);

    List<Path> files = files(dir);
    assertEquals(
        "dt=2020-11-16/hour=14/engagements-20201116T1400-p0-00000-of-00001.json",
        dir.relativize(files.get(0)).toString());
    assertEquals(1, files.size());
    List<String> lines = Files.readAllLines(files.get(0));
    assertEquals(2, lines.size());
    assertEquals(OutputFile.ENGAGEMENTS.json().apply(at("u1")), lines.get(0));
  }

  @Test
  public void anEmptyFiringWritesNoFileAndKeepsTheWindowsFile() throws Exception {
    Path dir = tmp.newFolder().toPath();
    PaneInfo only = PaneInfo.createPane(true, true, PaneInfo.Timing.ON_TIME, 0, 0);
    writer(dir, false).write(firing(at("u1")), WINDOW, only);
    writer(dir, false).write(firing(), WINDOW, only);

    List<Path> files = files(dir);
    assertEquals(1, files.size());
    assertEquals(1, Files.readAllLines(files.get(0)).size());
  }

  @Test
  public void gzipFilesAreWholeGzipStreams() throws Exception {
    Path dir = tmp.newFolder().toPath();
    writer(dir, true).write(firing(at("u1"), at("u2"), at("u3")), WINDOW, EARLY);

    Path file = files(dir).get(0);
    assertEquals(
        "engagements-20201116T1400-p0-00000-of-00001.json.gz", file.getFileName().toString());
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      assertEquals(3, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count());
    }
  }

  @Test
  public void parquetFilesReadBackWithEveryRecord() throws Exception {
    Path dir = tmp.newFolder().toPath();
    org.apache.avro.Schema avro =
        org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils.toAvroSchema(
            OutputFile.ENGAGEMENTS.schema());
    new WritePaneFiles.Plain<>(
            new WritePaneFiles.Target<>(
                dir.toString(),
                "engagements",
                ".parquet",
                false,
                1,
                new WriteOutputFiles.ToGenericRecord<>(
                    OutputFile.ENGAGEMENTS.row(), avro.toString()),
                org.apache.beam.sdk.io.parquet.ParquetIO.sink(avro)))
        .write(firing(at("u1"), at("u2")), WINDOW, EARLY);

    Path file = files(dir).get(0);
    int records = 0;
    try (org.apache.parquet.hadoop.ParquetReader<org.apache.avro.generic.GenericRecord> reader =
        org.apache.parquet.avro.AvroParquetReader.<org.apache.avro.generic.GenericRecord>builder(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.toUri()),
                    new org.apache.hadoop.conf.Configuration()))
            .build()) {
      for (org.apache.avro.generic.GenericRecord r = reader.read(); r != null; r = reader.read()) {
        assertEquals("site", r.get("engagement_source_id").toString());
        records++;
      }
    }
    assertEquals(2, records);
  }
}
