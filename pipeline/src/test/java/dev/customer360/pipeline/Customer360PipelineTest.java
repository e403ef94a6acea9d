package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.io.files.OutputRuns;
import dev.customer360.pipeline.generator.GenerateRawRecords;
import dev.customer360.pipeline.generator.RawRecordGenerator;
import dev.customer360.transforms.values.DeadLetter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The whole job on the DirectRunner, file to file, on generated data with re-deliveries, shuffled
 * order and every kind of hostile record: each distinct engagement comes out exactly once, nothing
 * else does, and every bad line is in the dead letter with its source.
 */
@RunWith(JUnit4.class)
public class Customer360PipelineTest {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path data;
  private static RawRecordGenerator.Generated generated;

  @BeforeClass
  public static void generate() throws IOException {
    RawRecordGenerator.Settings settings = new RawRecordGenerator.Settings();
    settings.seed = 2026;
    settings.users = 150;
    settings.recordsPerSource = 1500;
    settings.duplicateRate = 0.08;
    settings.badRate = 0.04;
    settings.spanHours = 24 * 30;
    generated = new RawRecordGenerator(settings).generate();
    data = TMP.newFolder("data").toPath();
    GenerateRawRecords.write(data, generated, false);
    // One source gzip'd, to read both kinds in one run.
    GenerateRawRecords.write(TMP.newFolder("gz").toPath(), generated, true);
  }

  private static Customer360Options options(Path output, String... extra) {
    List<String> args = new ArrayList<>();
    args.add("--callLogInput=" + data.resolve("call_log.jsonl"));
    args.add("--clickstreamInput=" + TMP.getRoot().toPath().resolve("gz/clickstream.jsonl.gz"));
    args.add("--output=" + output);
    args.addAll(List.of(extra));
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
        .withValidation()
        .as(Customer360Options.class);
  }

  private static void assertEveryDistinctEngagementExactlyOnce(Path output) throws IOException {
    List<Map<String, Object>> engagements = Expected.readJsonLines(output.resolve("engagements"));
    Set<Map<String, Object>> seen = new HashSet<>();
    Set<String> eventIds = new HashSet<>();
    for (Map<String, Object> e : engagements) {
      String eventId = (String) e.remove("event_id");
      assertNotNull("engagement without an event_id: " + e, eventId);
      assertTrue("event_id " + eventId + " written twice, again as " + e, eventIds.add(eventId));
      assertEquals("engagement written twice: " + e, true, seen.add(e));
    }
    assertEquals(engagements.size(), eventIds.size());
    Set<Map<String, Object>> missing = new HashSet<>(generated.expectedEngagements);
    missing.removeAll(seen);
    Set<Map<String, Object>> unexpected = new HashSet<>(seen);
    unexpected.removeAll(generated.expectedEngagements);
    assertEquals("missing: " + first(missing), Set.of(), missing);
    assertEquals("unexpected: " + first(unexpected), Set.of(), unexpected);
  }

  /** One conflict per conflicting re-delivery; its kept value is the engagement written. */
  private static void assertEachConflictNamesTheKeptEngagement(Path output) throws IOException {
    Map<Object, Object> secondsById = new HashMap<>();
    for (Map<String, Object> e : Expected.readJsonLines(output.resolve("engagements"))) {
      secondsById.put(e.get("event_id"), e.get("engagement_seconds"));
    }
    List<Map<String, Object>> conflicts = Expected.readJsonLines(output.resolve("conflicts"));
    assertEquals(generated.conflictingLines, conflicts.size());
    for (Map<String, Object> c : conflicts) {
      assertEquals(c.toString(), secondsById.get(c.get("event_id")), c.get("kept_seconds"));
      assertThat(
          c.toString(),
          (Integer) c.get("dropped_seconds"),
          org.hamcrest.Matchers.lessThan((Integer) c.get("kept_seconds")));
    }
  }

  private static Object first(Set<?> set) {
    return set.isEmpty() ? "none" : set.iterator().next() + " and " + (set.size() - 1) + " more";
  }

  /** Only a stream that Flink restores from checkpoints writes its files from stable input. */
  @Test
  public void aStreamOnFlinkWithCheckpointsWritesItsFilesFromStableInput() {
    String[] stream = {"--source=kafka", "--bootstrapServers=127.0.0.1:9"};
    assertTrue(
        Customer360Pipeline.restoresFromCheckpoints(
            options(stream, "--runner=FlinkRunner", "--checkpointingInterval=2000")));
    // Flink refuses a stable-input step without checkpoints; without them nothing is restored.
    assertEquals(
        false,
        Customer360Pipeline.restoresFromCheckpoints(options(stream, "--runner=FlinkRunner")));
    assertEquals(false, Customer360Pipeline.restoresFromCheckpoints(options(stream)));
    assertEquals(
        false,
        Customer360Pipeline.restoresFromCheckpoints(
            options(
                new String[] {"--source=kafka", "--maxRecords=10"},
                "--runner=FlinkRunner",
                "--checkpointingInterval=2000")));
  }

  @Test
  public void anExactlyOnceStreamOnFlinkWithoutCheckpointsIsRefusedNamingTheOption() {
    String[] stream = {
      "--source=kafka", "--bootstrapServers=127.0.0.1:9", "--sinks=kafka", "--exactlyOnce=true"
    };
    IllegalArgumentException refused =
        org.junit.Assert.assertThrows(
            IllegalArgumentException.class,
            () -> Customer360Pipeline.build(options(stream, "--runner=FlinkRunner")));
    assertThat(
        refused.getMessage(), org.hamcrest.Matchers.containsString("--checkpointingInterval="));
    Customer360Pipeline.build(
        options(stream, "--runner=FlinkRunner", "--checkpointingInterval=10000"));
    Customer360Pipeline.build(options(stream));
  }

  @Test
  public void partitionDiscoveryReadsKafkaSplittablyAndIsRefusedForABoundedRun() {
    String[] stream = {
      "--source=kafka", "--bootstrapServers=127.0.0.1:9", "--partitionDiscoveryInterval=10s"
    };
    Customer360Options watching = options(stream);
    Customer360Pipeline.build(watching);
    // KafkaIO watches for partitions only in its splittable read, which needs this experiment.
    assertTrue(
        org.apache.beam.sdk.options.ExperimentalOptions.hasExperiment(watching, "beam_fn_api"));
    Customer360Options notWatching = options(new String[] {"--source=kafka"}, stream[1]);
    Customer360Pipeline.build(notWatching);
    assertEquals(
        false,
        org.apache.beam.sdk.options.ExperimentalOptions.hasExperiment(notWatching, "beam_fn_api"));

    IllegalArgumentException refused =
        org.junit.Assert.assertThrows(
            IllegalArgumentException.class,
            () -> Customer360Pipeline.build(options(stream, "--maxRecords=10")));
    assertThat(
        refused.getMessage(),
        org.hamcrest.Matchers.containsString("leave it out of a bounded run"));
  }

  private static Customer360Options options(String[] first, String... more) {
    String[] args =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(first), java.util.Arrays.stream(more))
            .toArray(String[]::new);
    return PipelineOptionsFactory.fromArgs(args).as(Customer360Options.class);
  }

  @Test
  public void everyDistinctEngagementOnceAndEveryBadLineDeadLettered() throws Exception {
    Path output = TMP.newFolder("out").toPath();
    Customer360Pipeline.run(options(output)).waitUntilFinish();

    assertEveryDistinctEngagementExactlyOnce(output);
    Expected.assertProfilesAreSumsOverDistinctEvents(generated, output, 3_600_000L);
    assertEachConflictNamesTheKeptEngagement(output);

    List<Map<String, Object>> deadLetters = Expected.readJsonLines(output.resolve("dead-letter"));
    Map<String, String> sourceByPayload = new HashMap<>();
    Map<String, String> rawByOrigin = rawByOrigin();
    for (Map<String, Object> d : deadLetters) {
      assertEquals(
          Set.of(
              "source",
              "error",
              "payload",
              "failed_at",
              "replayable",
              "stage",
              "attempts",
              "origin"),
          d.keySet());
      sourceByPayload.put((String) d.get("payload"), (String) d.get("source"));
      // A raw record's dead letter names its line: by byte offset in the plain call log, by number
      // in the gzip'd clickstream. A validation failure's payload is the SQL's output.
      if ("validate".equals(d.get("stage"))) {
        assertTrue(d.toString(), rawByOrigin.containsKey((String) d.get("origin")));
      } else if (Boolean.TRUE.equals(d.get("replayable"))) {
        assertEquals(d.toString(), d.get("payload"), rawByOrigin.get((String) d.get("origin")));
      }
    }
    int bad = 0;
    for (Map.Entry<String, List<String>> source : generated.badLinesBySource.entrySet()) {
      for (String line : source.getValue()) {
        String payload =
            DeadLetter.of(DeadLetter.Stage.PARSE, "", "", line).payload(); // whole, or cut if huge
        assertEquals(line, source.getKey(), sourceByPayload.get(payload));
        bad++;
      }
    }
    assertEquals(bad, deadLetters.size());
    for (Map<String, Object> d : deadLetters) {
      assertThat((String) d.get("failed_at"), startsWith("20"));
    }
  }

  /**
   * The lines of the run's inputs by their origin: {@code file:<path> byte <offset>} in the plain
   * call log, {@code file:<path> line <n>} in the gzip'd clickstream.
   */
  private static Map<String, String> rawByOrigin() throws IOException {
    Map<String, String> raw = new HashMap<>();
    Path plain = data.resolve("call_log.jsonl");
    linesByStart(Files.readAllBytes(plain))
        .forEach((start, line) -> raw.put("file:" + plain + " byte " + start, line));
    Path gz = TMP.getRoot().toPath().resolve("gz/clickstream.jsonl.gz");
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
      int n = 0;
      for (String line : linesByStart(in.readAllBytes()).values()) {
        raw.put("file:" + gz + " line " + ++n, line);
      }
    }
    return raw;
  }

  /** The LF or CRLF lines of {@code bytes}, by the offset they start at, in order. */
  private static Map<Integer, String> linesByStart(byte[] bytes) {
    Map<Integer, String> lines = new java.util.TreeMap<>();
    for (int start = 0, end; start < bytes.length; start = end + 1) {
      end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      int length = end - start - (end > start && bytes[end - 1] == '\r' ? 1 : 0);
      lines.put(start, new String(bytes, start, length, java.nio.charset.StandardCharsets.UTF_8));
    }
    return lines;
  }

  @Test
  public void truncatedGzipAndNonUtf8LinesAreDeadLetteredAndTheRunSucceeds() throws Exception {
    Path input = TMP.newFolder("damaged").toPath();
    java.io.ByteArrayOutputStream good = new java.io.ByteArrayOutputStream();
    good.write(clickLine("good-1").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    good.write("{\"user_id\": \"abc".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    good.write(0xff);
    good.write("\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    good.write(clickLine("good-2").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Files.write(input.resolve("good.jsonl"), good.toByteArray());
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      many.append(clickLine("cut-" + i));
    }
    Path cut = input.resolve("cut.jsonl.gz");
    try (java.io.OutputStream out =
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(cut))) {
      out.write(many.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] whole = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));

    Path output = TMP.newFolder("out-damaged").toPath();
    Customer360Options options = options(output);
    options.setClickstreamInput(input + "/*");
    assertEquals(
        org.apache.beam.sdk.PipelineResult.State.DONE,
        Customer360Pipeline.run(options).waitUntilFinish());

    Set<Object> sites = new HashSet<>();
    for (Map<String, Object> e : Expected.readJsonLines(output.resolve("engagements"))) {
      sites.add(e.get("engagement_source_id"));
    }
    assertEquals(true, sites.contains("good-1") && sites.contains("good-2"));
    assertEquals(true, sites.contains("cut-0"));
    List<String> clickErrors = new ArrayList<>();
    for (Map<String, Object> d : Expected.readJsonLines(output.resolve("dead-letter"))) {
      if ("clickstream".equals(d.get("source"))) {
        clickErrors.add((String) d.get("error"));
      }
    }
    assertEquals(clickErrors.toString(), 2, clickErrors.size());
    assertEquals(
        clickErrors.toString(),
        1,
        clickErrors.stream()
            .filter(e -> e.contains(cut.toString()) && e.contains("corrupt or truncated"))
            .count());
    assertEquals(
        clickErrors.toString(),
        1,
        clickErrors.stream().filter(e -> e.contains("is not valid UTF-8")).count());
  }

  private static String clickLine(String site) {
    return "{\"event_timestamp\": \"2020-11-16 14:32:19\", \"user_id\": \"u1\", \"site_id\": \""
        + site
        + "\", \"pages_visited\": 1, \"total_seconds_on_site\": 5}\n";
  }

  @Test
  public void buildingAGraphTouchesNothing() throws Exception {
    Path output = TMP.newFolder("untouched").toPath();
    Path earlier =
        output.resolve("engagements/dt=2020-01-01/hour=00/engagements-x-00000-of-00001.json");
    Files.createDirectories(earlier.getParent());
    Files.writeString(earlier, "{}\n");
    // Nothing listens on port 9 of this host: a probe would fail the build.
    Customer360Pipeline.build(
        options(
            output,
            "--sinks=files,postgres,kafka",
            "--jdbcUrl=jdbc:postgresql://127.0.0.1:9/nowhere",
            "--bootstrapServers=127.0.0.1:9"));
    assertEquals("{}\n", Files.readString(earlier));
    try (Stream<Path> files = Files.walk(output)) {
      assertEquals(List.of(earlier), files.filter(Files::isRegularFile).toList());
    }
  }

  @Test
  public void aJvmOutsideUtcIsRefusedWithWhatToDo() {
    java.util.TimeZone zone = java.util.TimeZone.getDefault();
    java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York"));
    try {
      IllegalArgumentException e =
          org.junit.Assert.assertThrows(
              IllegalArgumentException.class,
              () -> Customer360Pipeline.build(options(TMP.getRoot().toPath().resolve("tz"))));
      assertThat(e.getMessage(), containsString("-Duser.timezone=UTC"));
    } finally {
      java.util.TimeZone.setDefault(zone);
    }
  }

  @Test
  public void aFailedRunLeavesTheOutputOfTheRunBeforeInPlace() throws Exception {
    Path output = TMP.newFolder("kept").toPath();
    Customer360Pipeline.runToEnd(options(output, "--runId=first"));
    List<Map<String, Object>> before = Expected.readJsonLines(output.resolve("engagements"));
    // The second run cannot write its profiles: it fails after it has started writing.
    Files.createDirectories(output.resolve("profiles"));
    Files.writeString(output.resolve("profiles/run=second"), "in the way\n");
    try {
      Customer360Pipeline.runToEnd(options(output, "--runId=second"));
      throw new AssertionError("the second run should have failed");
    } catch (RuntimeException expected) {
      // the run failed, as arranged
    }
    Files.delete(output.resolve("profiles/run=second"));
    assertEquals(
        List.of("first"),
        OutputRuns.published(output.toString()).stream().map(r -> r.runId).toList());
    assertEquals(
        new HashSet<>(before),
        new HashSet<>(Expected.readJsonLines(output.resolve("engagements/run=first"))));
    assertEquals(generated.expectedEngagements.size(), before.size());
  }

  @Test
  public void reRunIntoTheSameOutputGivesTheSameAnswerWithNoStaleFiles() throws Exception {
    Path output = TMP.newFolder("rerun").toPath();
    Customer360Pipeline.runToEnd(options(output, "--numShards=5"));
    Customer360Pipeline.runToEnd(
        options(output, "--numShards=2", "--window=15m", "--dedupShards=3"));
    try (Stream<Path> files = Files.walk(output.resolve("engagements"))) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              f ->
                  assertThat(
                      f.toString(), f.getFileName().toString(), containsString("-of-00002.json")));
    }
    assertEveryDistinctEngagementExactlyOnce(output);
    Expected.assertProfilesAreSumsOverDistinctEvents(generated, output, 15 * 60_000L);
  }
}
