package dev.customer360.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class WriteJsonLinesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static List<String> lines(Path dir) throws Exception {
    List<String> all = new ArrayList<>();
    for (String f : files(dir)) {
      all.addAll(Files.readAllLines(dir.resolve(f)));
    }
    all.sort(null);
    return all;
  }

  @Test
  public void writesOneObjectPerLineIntoShardsAndAReRunLeavesNoStaleShards() throws Exception {
    Path out = tmp.newFolder().toPath();
    Path dir = out.resolve("engagements");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("engagements-00000-of-00009.json"), "stale\n");
    Files.writeString(dir.resolve("notes.txt"), "not ours\n");

    WriteJsonLines.deletePreviousRun(out.toString(), "engagements");
    pipeline
        .apply(Create.of("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"))
        .apply(new WriteJsonLines(out.toString(), "engagements", 2));
    pipeline.run().waitUntilFinish();

    assertEquals(
        List.of("engagements-00000-of-00002.json", "engagements-00001-of-00002.json", "notes.txt"),
        files(dir));
    Files.delete(dir.resolve("notes.txt"));
    assertEquals(List.of("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"), lines(dir));
  }

  @Test
  public void deletingAnAbsentDirectoryIsFine() {
    WriteJsonLines.deletePreviousRun(tmp.getRoot() + "/never-written", "dead-letter");
    assertTrue(Files.notExists(tmp.getRoot().toPath().resolve("never-written")));
    pipeline.enableAbandonedNodeEnforcement(false);
  }
}
