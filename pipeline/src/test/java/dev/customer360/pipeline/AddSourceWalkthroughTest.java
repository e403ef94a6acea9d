package dev.customer360.pipeline;

import static dev.customer360.transforms.FieldRule.Kind.NON_EMPTY_TEXT;
import static dev.customer360.transforms.FieldRule.Kind.TIMESTAMP;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.customer360.transforms.FieldRule;
import dev.customer360.transforms.SourceDefinition;
import dev.customer360.transforms.StandardSources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Follows the README's "Adding a source" walk-through: its SQL file, its schema entry and its
 * sample records (read from the README itself) make a third source that previews and runs.
 */
@RunWith(JUnit4.class)
public class AddSourceWalkthroughTest {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Path ROOT = Checkout.ROOT;

  // walkthrough:begin (the README's schema entry, word for word)
  /** Point-of-sale transactions: one flat JSON object per purchase. */
  public static final SourceDefinition POS_TRANSACTION =
      SourceDefinition.of(
          "pos_transaction",
          Schema.builder()
              .addNullableField("created_at", FieldType.STRING)
              .addNullableField("user_id", FieldType.STRING)
              .addNullableField("transaction_id", FieldType.STRING)
              .addNullableField("amount", FieldType.DOUBLE)
              .build(),
          List.of(
              FieldRule.json("user_id", NON_EMPTY_TEXT),
              FieldRule.json("created_at", TIMESTAMP).withPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX"),
              FieldRule.json("transaction_id", NON_EMPTY_TEXT)));

  // walkthrough:end

  static final List<SourceDefinition> SOURCES =
      List.of(StandardSources.CALL_LOG, StandardSources.CLICKSTREAM, POS_TRANSACTION);

  private static Path sqlDir;
  private static Path samples;

  @BeforeClass
  public static void followTheReadme() throws IOException {
    sqlDir = sqlDirFromTheReadme(TMP.newFolder("sql").toPath());
    // Step 3: the sample records.
    samples = TMP.newFolder("samples").toPath().resolve("pos_transaction.jsonl");
    Files.writeString(samples, block("sample"));
  }

  /** Step 1: the README's SQL file in {@code dir}, next to the seed sources' SQL. */
  static Path sqlDirFromTheReadme(Path dir) throws IOException {
    for (String seed : List.of("call_log.sql", "clickstream.sql")) {
      Files.copy(ROOT.resolve("src/sql").resolve(seed), dir.resolve(seed));
    }
    Files.writeString(dir.resolve("pos_transaction.sql"), block("sql"));
    return dir;
  }

  /** Step 3: the README's sample records, one JSON line each. */
  static List<String> sampleRecordsFromTheReadme() {
    return block("sample").lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
  }

  /** The fenced block after {@code <!-- walkthrough:<name> -->} in the README. */
  private static String block(String name) {
    return Readme.block(Readme.text(), "walkthrough:" + name);
  }

  private static String normalized(String code) {
    return code.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }

  @Test
  public void readmeSchemaEntryIsTheOneThisTestUses() throws IOException {
    String test =
        Files.readString(
            Checkout.MODULE.resolve(
                "src/test/java/dev/customer360/pipeline/AddSourceWalkthroughTest.java"));
    String ours =
        test.substring(test.indexOf("// walkthrough:begin"), test.indexOf("// walkthrough:end"));
    ours = ours.substring(ours.indexOf('\n') + 1);
    String readmeJava = block("java");
    String entry =
        readmeJava.substring(
            0, readmeJava.indexOf("public static final List<SourceDefinition> ALL"));
    assertEquals(normalized(entry), normalized(ours));
    assertThat(readmeJava, containsString("List.of(CALL_LOG, CLICKSTREAM, POS_TRANSACTION)"));
  }

  private Customer360Options options(Path output, String... extra) {
    String[] base = {
      "--callLogInput=" + ROOT.resolve("src/samples/call_log.jsonl"),
      "--clickstreamInput=" + ROOT.resolve("src/samples/clickstream.jsonl"),
      "--input=pos_transaction=" + samples,
      "--sqlDir=" + sqlDir,
      "--output=" + output,
    };
    String[] args =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
            .toArray(String[]::new);
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(Customer360Options.class);
  }

  @Test
  public void previewShowsThePurchasesAndTheDeadLettersWithReasons() throws IOException {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Preview.run(
        options(TMP.newFolder("unused").toPath()),
        SOURCES,
        10,
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(
        out,
        containsString(
            "== pos_transaction: 6 records from " + samples + " -> 4 engagements, 2 dead letters"));
    assertThat(out, containsString("2020-11-16 14:32:19  purchase"));
    assertThat(out, containsString("#5"));
    assertThat(out, containsString("'created_at'"));
    assertThat(out, containsString("#6"));
    assertThat(out, containsString("'user_id'"));
    // The seed sources preview too: their first 10 sample lines.
    assertThat(out, containsString("== call_log: 10 records"));
    assertThat(out, containsString("== clickstream: 10 records"));
  }

  @Test
  public void runWritesPurchasesProfilesAndDeadLetters() throws IOException {
    Path out = TMP.newFolder("out").toPath();
    PipelineResult result = Customer360Pipeline.build(options(out), SOURCES).run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

    List<Map<String, Object>> purchases =
        Expected.readJsonLines(out.resolve(Customer360Pipeline.ENGAGEMENTS)).stream()
            .filter(e -> "purchase".equals(e.get("engagement_type")))
            .collect(Collectors.toList());
    assertEquals(
        "tx-0001 tx-0002 tx-0003",
        purchases.stream()
            .map(e -> (String) e.get("engagement_source_id"))
            .sorted()
            .collect(Collectors.joining(" ")));
    Map<String, Object> tx2 =
        purchases.stream()
            .filter(e -> "tx-0002".equals(e.get("engagement_source_id")))
            .findFirst()
            .get();
    assertEquals("2020-11-16 15:02:03", tx2.get("engagement_datetime"));
    assertEquals(0, tx2.get("engagement_seconds"));

    List<Map<String, Object>> dead =
        Expected.readJsonLines(out.resolve(Customer360Pipeline.DEAD_LETTER)).stream()
            .filter(d -> "pos_transaction".equals(d.get("source")))
            .collect(Collectors.toList());
    assertEquals(2, dead.size());
    assertTrue(
        dead.stream()
            .anyMatch(
                d ->
                    ((String) d.get("payload")).contains("tx-0004")
                        && ((String) d.get("error")).contains("created_at")));
    assertTrue(
        dead.stream()
            .anyMatch(
                d ->
                    ((String) d.get("payload")).contains("tx-0005")
                        && ((String) d.get("error")).contains("user_id")));

    // The purchases count in the customer's profile totals.
    Map<String, Object> profile =
        Expected.readJsonLines(out.resolve(Customer360Pipeline.PROFILES)).stream()
            .filter(p -> "7d1e0c52-2b8f-4a57-8d3e-9f0a1b2c3d4e".equals(p.get("user_id")))
            .findFirst()
            .get();
    assertEquals(1, profile.get("engagements"));
    assertEquals("2020-11-17 09:10:00", profile.get("first_engagement"));
  }

  @Test
  public void theCommandLineRunsTheSourceAndCountsItInTheSummary() throws IOException {
    Path out = TMP.newFolder("cli-out").toPath();
    Map.Entry<Integer, String> run =
        CliRun.of(
            SOURCES,
            "--callLogInput=" + ROOT.resolve("src/samples/call_log.jsonl"),
            "--clickstreamInput=" + ROOT.resolve("src/samples/clickstream.jsonl"),
            "--input=pos_transaction=" + samples,
            "--sqlDir=" + sqlDir,
            "--output=" + out);
    assertEquals(run.getValue(), 0, (int) run.getKey());
    assertThat(run.getValue(), containsString(RunSummary.RECONCILED));
    List<String> table =
        run.getValue()
            .lines()
            .dropWhile(l -> !l.startsWith("source "))
            .limit(5)
            .collect(Collectors.toList());
    // 6 read, 4 standardized (tx-0002 twice: dedup drops one later), 2 dead letters.
    assertTrue(table.toString(), table.get(3).matches("pos_transaction +6 +4 +2"));
    assertTrue(
        "every row in the header's columns: " + table,
        table.stream().allMatch(l -> l.length() == table.get(0).length()));
  }

  @Test
  public void fromKafkaTheSourceReadsTheTopicNamedLikeIt() {
    Customer360Options options = options(TMP.getRoot().toPath().resolve("never"));
    assertEquals("pos_transaction", SourceInputs.topics(options, SOURCES).get(POS_TRANSACTION));
    options.setTopic(List.of("pos_transaction=store_sales"));
    assertEquals("store_sales", SourceInputs.topics(options, SOURCES).get(POS_TRANSACTION));
  }

  @Test
  public void withoutAnInputTheJobNamesTheFlagToUse() {
    Customer360Options options = options(TMP.getRoot().toPath().resolve("never"));
    options.setInput(List.of());
    IllegalArgumentException e =
        org.junit.Assert.assertThrows(
            IllegalArgumentException.class, () -> Customer360Pipeline.build(options, SOURCES));
    assertThat(e.getMessage(), containsString("--input=pos_transaction=<glob>"));
  }
}
