package dev.customer360.io.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class ReadJsonLinesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void readsPlainCrlfAndGzipFilesOfOneGlob() throws Exception {
    Path dir = tmp.newFolder().toPath();
    Files.writeString(dir.resolve("a.jsonl"), "{\"n\":1}\r\n{\"n\":2}\r\n");
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("b.jsonl.gz")))) {
      out.write("{\"n\":3}\n{\"n\":4}".getBytes(StandardCharsets.UTF_8));
    }
    PCollection<String> lines =
        pipeline.apply(new ReadJsonLines("--callLogInput", dir + "/*.jsonl*"));
    PAssert.that(lines).containsInAnyOrder("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
    pipeline.run().waitUntilFinish();
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
