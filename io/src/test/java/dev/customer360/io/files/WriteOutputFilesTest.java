package dev.customer360.io.files;

import static org.junit.Assert.assertEquals;

import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementCoder;
import dev.customer360.transforms.values.JsonLines;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class WriteOutputFilesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static Engagement at(String time, String user) {
    return Engagement.of(user, Instant.parse(time), "website", "site", 1);
  }

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  public void partitionsByEventHourPerWindowWithDeterministicNamesInTheRunsDirectory()
      throws Exception {
    Path out = tmp.newFolder().toPath();
    Path earlier =
        out.resolve("engagements/run=r0/dt=2019-01-01/hour=00/engagements-old-00000-of-00009.json");
    Files.createDirectories(earlier.getParent());
    Files.writeString(earlier, "earlier\n");
    Engagement a = at("2020-03-04T13:15:12Z", "a");
    Engagement b = at("2020-03-04T13:59:59Z", "b");
    Engagement c = at("2020-03-05T00:00:00Z", "c");

    pipeline
        .apply(
            Create.timestamped(
                    TimestampedValue.of(a, a.engagementDatetime()),
                    TimestampedValue.of(b, b.engagementDatetime()),
                    TimestampedValue.of(c, c.engagementDatetime()))
                .withCoder(EngagementCoder.of()))
        .apply(Window.into(FixedWindows.of(Duration.standardHours(1))))
        .apply(
            new WriteOutputFiles<>(
                out.toString(),
                "r1",
                OutputFile.ENGAGEMENTS,
                WriteOutputFiles.Format.json,
                WriteOutputFiles.JsonCompression.gzip,
                1));
    pipeline.run().waitUntilFinish();

    Path dir = out.resolve("engagements/run=r1");
    assertEquals(
        List.of(
            "dt=2020-03-04/hour=13/engagements-20200304T1300-00000-of-00001.json.gz",
            "dt=2020-03-05/hour=00/engagements-20200305T0000-00000-of-00001.json.gz"),
        files(dir));
    // Writing never touches another run's files.
    assertEquals("earlier\n", Files.readString(earlier));
    List<String> lines = new ArrayList<>();
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(dir.resolve(files(dir).get(0))))) {
      lines.addAll(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
    }
    lines.sort(null);
    assertEquals(List.of(JsonLines.engagement(a), JsonLines.engagement(b)), lines);
  }

  @Test
  public void aBatchInTheGlobalWindowNamesItsFilesAsFixedWindowsWould() throws Exception {
    Path out = tmp.newFolder().toPath();
    Duration quarter = Duration.standardMinutes(15);
    Engagement a = at("2020-03-04T13:15:12Z", "a");
    Engagement b = at("2020-03-04T13:59:59Z", "b");
    Engagement c = at("2020-03-05T00:00:00Z", "c");
    var engagements =
        pipeline.apply(
            Create.timestamped(
                    TimestampedValue.of(a, a.engagementDatetime()),
                    TimestampedValue.of(b, b.engagementDatetime()),
                    TimestampedValue.of(c, c.engagementDatetime()))
                .withCoder(EngagementCoder.of()));
    engagements.apply(
        "InTheGlobalWindow",
        new WriteOutputFiles<>(
                out.toString(),
                "batch",
                OutputFile.ENGAGEMENTS,
                WriteOutputFiles.Format.json,
                WriteOutputFiles.JsonCompression.none,
                1)
            .namedByWindowsOf(quarter));
    engagements
        .apply(Window.into(FixedWindows.of(quarter)))
        .apply(
            "InFixedWindows",
            new WriteOutputFiles<>(
                out.toString(),
                "windowed",
                OutputFile.ENGAGEMENTS,
                WriteOutputFiles.Format.json,
                WriteOutputFiles.JsonCompression.none,
                1));
    pipeline.run().waitUntilFinish();

    List<String> batch = files(out.resolve("engagements/run=batch"));
    assertEquals(
        List.of(
            "dt=2020-03-04/hour=13/engagements-20200304T1315-00000-of-00001.json",
            "dt=2020-03-04/hour=13/engagements-20200304T1345-00000-of-00001.json",
            "dt=2020-03-05/hour=00/engagements-20200305T0000-00000-of-00001.json"),
        batch);
    assertEquals(files(out.resolve("engagements/run=windowed")), batch);
    assertEquals(
        List.of(JsonLines.engagement(b)),
        Files.readAllLines(out.resolve("engagements/run=batch").resolve(batch.get(1))));
  }

  @Test
  public void windowsShorterThanAMinuteGetFilesOfTheirOwn() {
    WriteOutputFiles.PartitionedNaming naming =
        new WriteOutputFiles.PartitionedNaming("dt=2020-03-04/hour=13", "profiles", ".json");
    Instant minute = Instant.parse("2020-03-04T13:20:00Z");
    String first =
        naming.getFilename(
            new IntervalWindow(minute, Duration.standardSeconds(10)),
            PaneInfo.NO_FIRING,
            1,
            0,
            Compression.UNCOMPRESSED);
    String second =
        naming.getFilename(
            new IntervalWindow(
                minute.plus(Duration.standardSeconds(10)), Duration.standardSeconds(10)),
            PaneInfo.NO_FIRING,
            1,
            0,
            Compression.UNCOMPRESSED);
    // Minute-aligned windows keep the names of hourly or minute windows.
    assertEquals("dt=2020-03-04/hour=13/profiles-20200304T1320-00000-of-00001.json", first);
    assertEquals("dt=2020-03-04/hour=13/profiles-20200304T132010-00000-of-00001.json", second);
  }
}
