package dev.customer360.io.files;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The lake's reader contract: a run is visible through its manifest, written last. */
@RunWith(JUnit4.class)
public class OutputRunsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private Path write(Path out, String relative) throws Exception {
    Path file = out.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, relative + "\n");
    return file;
  }

  @Test
  public void aReplacingRunPublishesItsFilesThenRemovesEveryOtherRun() throws Exception {
    Path out = tmp.newFolder().toPath();
    write(out, "engagements/run=a/dt=2020-01-01/hour=00/engagements-w-00000-of-00001.json");
    OutputRuns.publish(out.toString(), "a", OutputRuns.Mode.REPLACE);
    // b failed half-way: files, no manifest.
    Path failed = write(out, "profiles/run=b/dt=2020-01-01/profiles-w-00000-of-00001.json");
    Path mine =
        write(out, "engagements/run=c/dt=2020-01-02/hour=01/engagements-w-00000-of-00001.json");
    write(out, "dead-letter/run=c/dt=2020-01-02/dead-letter-all-00000-of-00001.json");
    Path notOurs = write(out, "engagements/notes.txt");

    OutputRuns.Run run = OutputRuns.publish(out.toString(), "c", OutputRuns.Mode.REPLACE);

    assertEquals(
        Map.of(
            "engagements",
            List.of("engagements/run=c/dt=2020-01-02/hour=01/engagements-w-00000-of-00001.json"),
            "profiles",
            List.of(),
            "dead-letter",
            List.of("dead-letter/run=c/dt=2020-01-02/dead-letter-all-00000-of-00001.json"),
            "conflicts",
            List.of()),
        run.files);
    assertEquals(
        List.of("c"), OutputRuns.published(out.toString()).stream().map(r -> r.runId).toList());
    assertEquals(run.files, OutputRuns.published(out.toString()).get(0).files);
    assertFalse(Files.exists(out.resolve("engagements/run=a")));
    assertFalse(Files.exists(failed));
    assertTrue(Files.exists(mine));
    assertTrue(Files.exists(notOurs));
  }

  @Test
  public void anIncrementKeepsEarlierPublishedRunsAndDropsFailedOnes() throws Exception {
    Path out = tmp.newFolder().toPath();
    Path first =
        write(out, "engagements/run=a/dt=2020-01-01/hour=00/engagements-w-00000-of-00001.json");
    OutputRuns.publish(out.toString(), "a", OutputRuns.Mode.INCREMENT);
    Path failed =
        write(out, "engagements/run=b/dt=2020-01-01/hour=00/engagements-w-00000-of-00001.json");
    write(out, "engagements/run=c/dt=2020-01-01/hour=01/engagements-w-00000-of-00001.json");

    OutputRuns.publish(out.toString(), "c", OutputRuns.Mode.INCREMENT);

    assertEquals(
        List.of("a", "c"),
        OutputRuns.published(out.toString()).stream().map(r -> r.runId).toList());
    assertTrue(Files.exists(first));
    assertFalse(Files.exists(failed));
  }

  @Test
  public void aStreamIsAnnouncedWhenItStartsAndNeverRemovedByAnIncrement() throws Exception {
    Path out = tmp.newFolder().toPath();
    OutputRuns.announceStream(out.toString(), "s");
    Path streamed =
        write(out, "engagements/run=s/dt=2020-01-01/hour=00/engagements-w-p0-00000-of-00001.json");

    OutputRuns.publish(out.toString(), "t", OutputRuns.Mode.INCREMENT);

    assertTrue(Files.exists(streamed));
    OutputRuns.Run stream = OutputRuns.published(out.toString()).get(0);
    assertEquals(OutputRuns.Mode.STREAM, stream.mode);
    assertEquals("s", stream.runId);
  }

  @Test
  public void runIdsMustBeSafeDirectoryNames() {
    org.junit.Assert.assertThrows(
        IllegalArgumentException.class, () -> OutputRuns.checkRunId("../up"));
    OutputRuns.checkRunId("20261130T150000Z-1a2b");
  }
}
