package dev.customer360.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.customer360.pipeline.generator.GenerateRawRecords;
import dev.customer360.pipeline.generator.RawRecordGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The same generated input through the DirectRunner and the FlinkRunner (embedded mini-cluster,
 * parallelism 2) gives identical engagements, dead letters per source and profiles.
 */
@RunWith(JUnit4.class)
public class FlinkRunnerIT {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static void run(Path data, Path output, String... runner) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--callLogInput=" + data.resolve("call_log.jsonl"),
                "--clickstreamInput=" + data.resolve("clickstream.jsonl"),
                "--output=" + output));
    args.addAll(List.of(runner));
    Customer360Pipeline.runToEnd(
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(Customer360Options.class));
  }

  private static Set<Map<String, Object>> withoutVolatileFields(List<Map<String, Object>> records) {
    Set<Map<String, Object>> set = new HashSet<>();
    for (Map<String, Object> r : records) {
      r.remove("failed_at");
      assertEquals("record twice: " + r, true, set.add(r));
    }
    return set;
  }

  private static Map<Object, Integer> countBySource(List<Map<String, Object>> deadLetters) {
    Map<Object, Integer> counts = new HashMap<>();
    deadLetters.forEach(d -> counts.merge(d.get("source"), 1, Integer::sum));
    return counts;
  }

  @Test
  public void flinkWritesTheGoldenOutputsOfTheSamples() throws Exception {
    assertGoldenOutputsOnFlink("golden");
  }

  /** Beam's other batch translation on Flink, the one the benchmark README offers as a flag. */
  @Test
  public void flinkOnItsDataStreamApiWritesTheGoldenOutputsToo() throws Exception {
    assertGoldenOutputsOnFlink("golden-datastream", "--useDataStreamForBatch=true");
  }

  /**
   * {@code --numShards=0}: each of the two workers writes its JSON lines of a window into a file of
   * its own, without a grouping before the files.
   */
  @Test
  public void runnerChosenShardsWriteAtMostAFilePerWorkerAndWindowAndTheGoldenOutputs()
      throws Exception {
    Path output = assertGoldenOutputsOnFlink("golden-unsharded", "--numShards=0");
    Map<Path, Integer> filesPerWindow = new HashMap<>();
    try (var files = java.nio.file.Files.walk(output.resolve(Customer360Pipeline.ENGAGEMENTS))) {
      files
          .filter(f -> f.getFileName().toString().endsWith(".json"))
          .filter(f -> !f.toString().contains("/."))
          .forEach(f -> filesPerWindow.merge(f.getParent(), 1, Integer::sum));
    }
    assertTrue(filesPerWindow.toString(), !filesPerWindow.isEmpty());
    filesPerWindow.forEach(
        (window, files) -> assertTrue(window + ": " + files + " files", files <= 2));
  }

  private static Path assertGoldenOutputsOnFlink(String folder, String... extra) throws Exception {
    Path output = TMP.newFolder(folder).toPath();
    List<String> args = new ArrayList<>(GoldenOutputs.sampleArgs(output));
    args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
    args.addAll(List.of(extra));
    Customer360Pipeline.runToEnd(
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(Customer360Options.class));
    for (String name : GoldenOutputs.OUTPUTS) {
      List<String> actual = GoldenOutputs.canonical(output, name);
      assertEquals(name, java.nio.file.Files.readAllLines(GoldenOutputs.golden(name)), actual);
    }
    return output;
  }

  @Test
  public void directAndFlinkGiveTheSameAnswers() throws Exception {
    RawRecordGenerator.Generated generated = Expected.generate(808, 100, 1500, 96);
    Path data = TMP.newFolder("data").toPath();
    GenerateRawRecords.write(data, generated, false);
    Path direct = TMP.newFolder("direct").toPath();
    Path flink = TMP.newFolder("flink").toPath();

    run(data, direct);
    run(data, flink, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");

    Set<Map<String, Object>> directEngagements =
        withoutVolatileFields(Expected.readJsonLines(direct.resolve("engagements")));
    assertEquals(generated.expectedEngagements.size(), directEngagements.size());
    assertEquals(
        directEngagements,
        withoutVolatileFields(Expected.readJsonLines(flink.resolve("engagements"))));
    assertEquals(
        withoutVolatileFields(Expected.readJsonLines(direct.resolve("profiles"))),
        withoutVolatileFields(Expected.readJsonLines(flink.resolve("profiles"))));
    // One keep-rule: the same conflicts (kept and dropped values) from both runners' groupings.
    Set<Map<String, Object>> directConflicts =
        withoutVolatileFields(Expected.readJsonLines(direct.resolve("conflicts")));
    assertEquals(generated.conflictingLines, directConflicts.size());
    assertEquals(
        directConflicts, withoutVolatileFields(Expected.readJsonLines(flink.resolve("conflicts"))));
    List<Map<String, Object>> directDead = Expected.readJsonLines(direct.resolve("dead-letter"));
    List<Map<String, Object>> flinkDead = Expected.readJsonLines(flink.resolve("dead-letter"));
    assertEquals(countBySource(directDead), countBySource(flinkDead));
    assertEquals(withoutVolatileFields(directDead), withoutVolatileFields(flinkDead));

    // Against the generator's answer as well, so a bug both runners share fails too.
    Set<Map<String, Object>> flinkEngagements = new HashSet<>();
    for (Map<String, Object> e : Expected.readJsonLines(flink.resolve("engagements"))) {
      e.remove("event_id");
      flinkEngagements.add(e);
    }
    assertEquals(generated.expectedEngagements, flinkEngagements);
    Expected.assertProfilesAreSumsOverDistinctEvents(generated, flink, 3_600_000L);
    Map<Object, Integer> badBySource = new HashMap<>();
    generated.badLinesBySource.forEach((source, lines) -> badBySource.put(source, lines.size()));
    assertEquals(badBySource, countBySource(flinkDead));
  }
}
