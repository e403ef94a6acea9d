package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import dev.customer360.transforms.SourceDefinition;
import dev.customer360.transforms.StandardSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Follows the README's "Replaying dead letters" example: a clickstream producer sends ISO-8601
 * times, the run dead-letters them, the SQL is changed to read both formats, the replay recovers
 * them, and the totals before and after are what a run over the fixed SQL writes.
 */
@RunWith(JUnit4.class)
public class ReplayWalkthroughTest {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Path ROOT = Checkout.ROOT;
  private static final List<String> SOURCES =
      StandardSources.ALL.stream().map(SourceDefinition::name).collect(Collectors.toList());

  private static String readme;
  private static Path clicks;
  private static Path fixedSql;

  @BeforeClass
  public static void followTheReadme() throws IOException {
    readme = Readme.text();
    clicks = TMP.newFolder("input").toPath().resolve("clicks.jsonl");
    Files.writeString(clicks, block("records"));
    fixedSql = TMP.newFolder("sql").toPath();
    Files.copy(ROOT.resolve("src/sql/call_log.sql"), fixedSql.resolve("call_log.sql"));
    Files.writeString(fixedSql.resolve("clickstream.sql"), block("sql"));
  }

  /** The fenced block after {@code <!-- replay:<name> -->} in the README. */
  private static String block(String name) {
    return Readme.block(readme, "replay:" + name);
  }

  /** The run-local.sh defaults, with {@code sqlDir} for its SQL files. */
  private static Customer360Options options(Path sqlDir, String... args) {
    List<String> all = new ArrayList<>();
    all.add("--callLogInput=" + ROOT.resolve("src/samples/call_log*.jsonl"));
    all.add("--clickstreamInput=" + clicks);
    all.add("--sqlDir=" + sqlDir);
    all.addAll(List.of(args));
    return PipelineOptionsFactory.fromArgs(all.toArray(new String[0]))
        .withValidation()
        .as(Customer360Options.class);
  }

  private static List<Map<String, Object>> read(Path output, String name) throws IOException {
    Path dir = output.resolve(name);
    return Files.exists(dir) ? Expected.readJsonLines(dir) : List.of();
  }

  private static Set<String> eventIds(List<Map<String, Object>> engagements) {
    return engagements.stream()
        .map(e -> (String) e.get("event_id"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  public void theReplayRecoversTheIsoRecordsAndTheTotalsReconcile() throws IOException {
    // The run with the stock SQL: the two ISO records fail the timestamp rule.
    Path out = TMP.newFolder("out").toPath();
    Customer360Options run = options(ROOT.resolve("src/sql"), "--output=" + out);
    Customer360Pipeline.runToEnd(run);
    List<Map<String, Object>> before = read(out, Customer360Pipeline.ENGAGEMENTS);
    List<Map<String, Object>> rejected = read(out, Customer360Pipeline.DEAD_LETTER);
    assertEquals(266, before.size());
    assertEquals(15, rejected.size());
    List<Map<String, Object>> iso =
        rejected.stream()
            .filter(d -> ((String) d.get("payload")).contains("T15:"))
            .collect(Collectors.toList());
    assertEquals(2, iso.size());
    iso.forEach(
        d -> {
          assertEquals("rules", d.get("stage"));
          assertThat((String) d.get("error"), containsString("is not a valid timestamp"));
        });

    // The preview shows what the replay would recover, and writes nothing.
    Path previewOut = TMP.getRoot().toPath().resolve("preview-out");
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    Preview.run(
        options(fixedSql, "--replay=" + out.resolve("dead-letter"), "--output=" + previewOut),
        StandardSources.ALL,
        10,
        new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(
        printed.toString(java.nio.charset.StandardCharsets.UTF_8),
        containsString(
            "== clickstream: 3 records from the dead letters in "
                + out.resolve("dead-letter")
                + " -> 2 engagements, 1 dead letters"));
    assertFalse(Files.exists(previewOut));

    // The replay with the README's SQL.
    Path replayOut = TMP.newFolder("out-replay").toPath();
    Customer360Options replay =
        options(fixedSql, "--replay=" + out.resolve("dead-letter"), "--output=" + replayOut);
    Customer360Pipeline.prepare(replay, StandardSources.ALL);
    PipelineResult result = Customer360Pipeline.runToEnd(replay);
    RunSummary summary = RunSummary.of(result);
    assertEquals(
        block("summary").strip(),
        summary.replayLine(SOURCES, Set.of(Customer360Options.Sink.files)));
    assertEquals(List.of(), summary.unreconciled(SOURCES, Set.of(Customer360Options.Sink.files)));

    List<Map<String, Object>> recovered = read(replayOut, Customer360Pipeline.ENGAGEMENTS);
    assertEquals(
        List.of("2020-11-16 15:02:03", "2020-11-16 15:40:11"),
        recovered.stream().map(e -> (String) e.get("engagement_datetime")).sorted().toList());
    List<Map<String, Object>> stillFailing = read(replayOut, Customer360Pipeline.DEAD_LETTER);
    assertEquals(13, stillFailing.size());
    stillFailing.forEach(d -> assertEquals(d.toString(), 2, d.get("attempts")));
    assertFalse("a replay writes no profiles", Files.exists(replayOut.resolve("profiles")));
    // The original run's output is untouched.
    assertEquals(eventIds(before), eventIds(read(out, Customer360Pipeline.ENGAGEMENTS)));

    // 266 + 2: what a run over the fixed SQL writes.
    Path fixedOut = TMP.newFolder("out-fixed").toPath();
    Customer360Pipeline.runToEnd(options(fixedSql, "--output=" + fixedOut));
    Set<String> together = eventIds(before);
    together.addAll(eventIds(recovered));
    assertEquals(268, together.size());
    assertEquals(together, eventIds(read(fixedOut, Customer360Pipeline.ENGAGEMENTS)));
  }

  @Test
  public void aShortDeadLetterDirectoryIsNotTakenForATopic() {
    // Shorter than "kafka:": the topic check must not cut a prefix it does not have.
    Customer360Pipeline.build(
        options(
            fixedSql,
            "--replay=dl",
            "--output=" + TMP.getRoot().toPath().resolve("short-out"),
            "--sinks=files,kafka",
            "--bootstrapServers=127.0.0.1:9"));
  }

  @Test
  public void aReplayIntoTheOutputItReplaysIsRefused() {
    Path out = TMP.getRoot().toPath().resolve("lake");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Customer360Pipeline.build(
                    options(
                        fixedSql,
                        "--replay=" + out.resolve("dead-letter"),
                        "--output=" + out + "/")));
    assertThat(e.getMessage(), containsString("give the replay an output of its own"));
    IllegalArgumentException topic =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Customer360Pipeline.build(
                    options(
                        fixedSql,
                        "--replay=kafka:dead",
                        "--sinks=kafka",
                        "--deadLetterTopic=dead",
                        "--bootstrapServers=127.0.0.1:9")));
    assertThat(topic.getMessage(), containsString("e.g. --deadLetterTopic=dead.replay"));
  }
}
