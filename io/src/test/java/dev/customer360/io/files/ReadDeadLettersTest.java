package dev.customer360.io.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.customer360.io.RawRecords;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.DeadLetterCoder;
import dev.customer360.transforms.values.JsonLines;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** A replay reads the dead letters of published runs, in every format the sink writes. */
@RunWith(JUnit4.class)
public class ReadDeadLettersTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static final Instant FAILED = Instant.parse("2026-12-01T00:00:00Z");

  private static DeadLetter letter(String payload) {
    return DeadLetter.of(DeadLetter.Stage.RULES, "clickstream", "bad time", payload, FAILED);
  }

  private static void writeLines(Path file, List<String> lines) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  private static String json(DeadLetter... letters) {
    List<String> lines = new ArrayList<>();
    for (DeadLetter d : letters) {
      lines.add(JsonLines.deadLetter(d));
    }
    return String.join("\n", lines) + "\n";
  }

  @Test
  public void followsTheManifestsSoAFailedRunIsNotReplayed() throws Exception {
    Path out = tmp.newFolder("out").toPath();
    DeadLetter a = letter("{\"a\": 1}");
    DeadLetter b = letter("{\"b\": 2}");
    writeLines(
        out.resolve("dead-letter/run=r1/dt=2026-12-01/dead-letter-all-00000-of-00001.json"),
        List.of(JsonLines.deadLetter(a), JsonLines.deadLetter(b)));
    OutputRuns.publish(out.toString(), "r1", OutputRuns.Mode.INCREMENT);
    // r2 failed half-way: its file has no manifest.
    writeLines(
        out.resolve("dead-letter/run=r2/dt=2026-12-01/dead-letter-all-00000-of-00001.json"),
        List.of(JsonLines.deadLetter(letter("{\"c\": 3}"))));

    PCollectionTuple read =
        pipeline.apply(new ReadDeadLetters(out.resolve("dead-letter").toString()));
    PAssert.that(read.get(ReadDeadLetters.DEAD_LETTERS)).containsInAnyOrder(a, b);
    PAssert.that(read.get(RawRecords.DEAD_LETTERS)).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aCopiedDirectoryIsReadWholeCompressedOrNotAndABadLineIsItsOwnDeadLetter()
      throws Exception {
    Path dir = tmp.newFolder("copied").toPath();
    DeadLetter plain = letter("{\"a\": 1}");
    DeadLetter zipped = letter("{\"z\": 26}");
    Files.writeString(dir.resolve("letters.json"), json(plain) + "not a dead letter\n");
    try (OutputStream gz =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("more.json.gz")))) {
      gz.write(json(zipped).getBytes(StandardCharsets.UTF_8));
    }

    PCollectionTuple read = pipeline.apply(new ReadDeadLetters(dir + "/"));
    PAssert.that(read.get(ReadDeadLetters.DEAD_LETTERS)).containsInAnyOrder(plain, zipped);
    PAssert.that(read.get(RawRecords.DEAD_LETTERS))
        .satisfies(
            bad -> {
              List<DeadLetter> list = new ArrayList<>();
              bad.forEach(list::add);
              assertEquals(1, list.size());
              DeadLetter d = list.get(0);
              assertEquals(DeadLetter.Stage.READ, d.stage());
              assertEquals("not a dead letter", d.payload());
              assertThat(d.error(), containsString("line 2 of "));
              assertThat(
                  d.error(), containsString("letters.json is not a dead letter of this job"));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void parquetDeadLettersAreReadToo() throws Exception {
    Path out = tmp.newFolder("parquet").toPath();
    DeadLetter a = letter("{\"a\": 1}");
    DeadLetter late =
        DeadLetter.of(DeadLetter.Stage.LATE, "call_log", "late: closed", "{}", FAILED);
    Pipeline writer = Pipeline.create(PipelineOptionsFactory.create());
    writer
        .apply(Create.of(a, late.withAttempts(3)).withCoder(DeadLetterCoder.of()))
        .apply(
            new WriteOutputFiles<>(
                out.toString(),
                "p1",
                OutputFile.DEAD_LETTERS,
                WriteOutputFiles.Format.parquet,
                WriteOutputFiles.JsonCompression.none,
                1));
    writer.run().waitUntilFinish();
    OutputRuns.publish(out.toString(), "p1", OutputRuns.Mode.REPLACE);

    PCollectionTuple read =
        pipeline.apply(new ReadDeadLetters(out.resolve("dead-letter").toString()));
    PAssert.that(read.get(ReadDeadLetters.DEAD_LETTERS))
        .containsInAnyOrder(a, late.withAttempts(3));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aLocationWithoutDeadLettersIsRefusedNamingTheFlag() throws Exception {
    Path empty = tmp.newFolder("empty").toPath();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReadDeadLetters.checkHoldsFiles("--replay", empty.toString()));
    assertThat(e.getMessage(), containsString("--replay=" + empty + " holds no dead-letter files"));
  }
}
