package dev.customer360.pipeline;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** A run over the samples on the DirectRunner writes the committed golden outputs. */
@RunWith(JUnit4.class)
public class GoldenOutputsTest {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void theSamplesGiveTheGoldenOutputs() throws Exception {
    Path output = TMP.newFolder("out").toPath();
    Customer360Pipeline.runToEnd(
        PipelineOptionsFactory.fromArgs(GoldenOutputs.sampleArgs(output).toArray(new String[0]))
            .withValidation()
            .as(Customer360Options.class));
    for (String name : GoldenOutputs.OUTPUTS) {
      java.util.List<String> actual = GoldenOutputs.canonical(output, name);
      assertEquals(name, GoldenOutputs.expected(name, actual), actual);
    }
  }

  @Test
  public void runnerChosenFileShardsGiveTheSameOutputs() throws Exception {
    // --numShards=0: as many files per partition and window as the runner likes, none lost.
    Path output = TMP.newFolder("runner-shards").toPath();
    java.util.List<String> args = new java.util.ArrayList<>(GoldenOutputs.sampleArgs(output));
    args.add("--numShards=0");
    Customer360Pipeline.runToEnd(
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(Customer360Options.class));
    for (String name : GoldenOutputs.OUTPUTS) {
      assertEquals(
          name,
          java.nio.file.Files.readAllLines(GoldenOutputs.golden(name)),
          GoldenOutputs.canonical(output, name));
    }
  }
}
