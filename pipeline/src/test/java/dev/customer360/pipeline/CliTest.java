package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.customer360.io.files.OutputRuns;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.After;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Bad options stop the job before it starts, with one line naming the flag, and exit code 2. */
@RunWith(JUnit4.class)
public class CliTest {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream oldErr;
  private PrintStream oldOut;
  private String input;

  @Before
  public void capture() throws Exception {
    oldErr = System.err;
    oldOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    Path file = tmp.newFile("in.jsonl").toPath();
    Files.writeString(file, "{}\n");
    input = file.toString();
  }

  @After
  public void restore() {
    System.setErr(oldErr);
    System.setOut(oldOut);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void badWindow() {
    assertEquals(
        2,
        Cli.run(
            new String[] {
              "--callLogInput=" + input, "--clickstreamInput=" + input, "--window=abc"
            }));
    assertThat(stderr(), containsString("error: --window: 'abc' is not a duration; use e.g. 30s"));
  }

  @Test
  public void missingInputFile() {
    assertEquals(
        2,
        Cli.run(
            new String[] {"--callLogInput=/no/such/file.jsonl", "--clickstreamInput=" + input}));
    assertThat(stderr(), containsString("--callLogInput=/no/such/file.jsonl matches no files"));
  }

  @Test
  public void unknownOption() {
    assertEquals(
        2,
        Cli.run(
            new String[] {"--callLogInput=" + input, "--clickstreamInput=" + input, "--windw=1h"}));
    assertThat(stderr(), containsString("error: unknown option --windw."));
  }

  @Test
  public void badTimeZone() {
    assertEquals(
        2,
        Cli.run(
            new String[] {
              "--callLogInput=" + input, "--clickstreamInput=" + input, "--sourceTimeZone=Mars/Base"
            }));
    assertThat(
        stderr(),
        containsString(
            "error: --sourceTimeZone: 'Mars/Base' is not a time zone; use e.g. UTC,"
                + " Europe/Tallinn or +02:00\n"));
  }

  @Test
  public void unknownSink() {
    assertEquals(
        2,
        Cli.run(
            new String[] {
              "--callLogInput=" + input, "--clickstreamInput=" + input, "--sinks=files,bigquery"
            }));
    assertThat(
        stderr(),
        containsString("error: --sinks: 'bigquery' is not one of files, postgres, kafka"));
  }

  @Test
  public void aConfigFileListReachesTheFlagsChecks() throws Exception {
    Path config = tmp.newFile("job.yaml").toPath();
    Files.writeString(config, "sinks: [files, bigquery]\n");
    String[] args = {
      "--config=" + config, "--callLogInput=" + input, "--clickstreamInput=" + input
    };
    assertEquals(2, Cli.run(args));
    assertThat(
        stderr(), containsString("--sinks: 'bigquery' is not one of files, postgres, kafka"));
  }

  /** The samples' inputs, from the checkout. */
  private static String[] sampleInputs() {
    Path samples = Checkout.ROOT.resolve("src/samples");
    return new String[] {
      "--callLogInput=" + samples.resolve("call_log*.jsonl"),
      "--clickstreamInput=" + samples.resolve("clickstream*.jsonl")
    };
  }

  private static String[] with(String[] first, String... more) {
    return java.util.stream.Stream.concat(
            java.util.Arrays.stream(first), java.util.Arrays.stream(more))
        .toArray(String[]::new);
  }

  @Test
  public void previewWithoutANumberShowsTenRecordsOfEachSourceAndWritesNothing() {
    Path output = tmp.getRoot().toPath().resolve("preview-out");
    // Every sink, at servers that do not exist: a preview that wrote or connected would fail.
    java.util.Map.Entry<Integer, String> run =
        CliRun.of(
            with(
                sampleInputs(),
                "--preview",
                "--output=" + output,
                "--sinks=files,postgres,kafka",
                "--jdbcUrl=jdbc:postgresql://127.0.0.1:9/nowhere",
                "--bootstrapServers=127.0.0.1:9"));
    assertEquals(run.getValue(), 0, (int) run.getKey());
    assertThat(run.getValue(), containsString("the first 10 records of each source"));
    assertThat(run.getValue(), containsString("== call_log: 10 records from "));
    assertThat(run.getValue(), containsString("== clickstream: 10 records from "));
    assertFalse("the preview wrote " + output, Files.exists(output));
  }

  @Test
  public void previewTakesItsNumberOfRecordsAndRefusesLessThanOne() {
    java.util.Map.Entry<Integer, String> three = CliRun.of(with(sampleInputs(), "--preview=3"));
    assertEquals(three.getValue(), 0, (int) three.getKey());
    assertThat(three.getValue(), containsString("== call_log: 3 records from "));
    assertThat(three.getValue(), containsString("== clickstream: 3 records from "));

    java.util.Map.Entry<Integer, String> none = CliRun.of(with(sampleInputs(), "--preview=-1"));
    assertEquals(none.getValue(), 2, (int) none.getKey());
    assertThat(
        none.getValue(),
        containsString("error: --preview=-1: give a number of records, at least 1"));
  }

  @Test
  public void aConfigFileRunsTheJobAndTheCommandLineWins() throws Exception {
    Path samples = Checkout.ROOT.resolve("src/samples");
    Path configOutput = tmp.getRoot().toPath().resolve("config-out");
    Path output = tmp.getRoot().toPath().resolve("command-line-out");
    Path config = tmp.newFile("job.yaml").toPath();
    Files.writeString(
        config,
        "callLogInput: '"
            + samples.resolve("call_log*.jsonl")
            + "'\nclickstreamInput: '"
            + samples.resolve("clickstream*.jsonl")
            + "'\nformat: parquet\noutput: '"
            + configOutput
            + "'\n");
    java.util.Map.Entry<Integer, String> run =
        CliRun.of("--config=" + config, "--output=" + output);
    assertEquals(run.getValue(), 0, (int) run.getKey());
    // The inputs came from the file, the output from the command line.
    assertThat(run.getValue(), containsString("engagements written  530"));
    assertFalse("the run wrote to the file's output too", Files.exists(configOutput));
    try (java.util.stream.Stream<Path> files = Files.walk(output.resolve("engagements"))) {
      assertTrue(
          "--format=parquet from the file did not reach the job",
          files.anyMatch(f -> f.toString().endsWith(".parquet")));
    }
  }

  @Test
  public void aConfigFileMistakeNamesTheFileAndLine() throws Exception {
    Path config = tmp.newFile("typo.yaml").toPath();
    Files.writeString(config, "window: 1h\nwindw: 2h\n");
    assertEquals(2, Cli.run(new String[] {"--config=" + config}));
    assertThat(
        stderr(),
        containsString("error: " + config + " line 2: 'windw' is not an option of this job"));
  }

  @Test
  public void unreachableDatabaseNamesTheUrl() {
    String url = "jdbc:postgresql://127.0.0.1:1/postgres";
    assertEquals(
        2,
        Cli.run(
            new String[] {
              "--callLogInput=" + input,
              "--clickstreamInput=" + input,
              "--sinks=postgres",
              "--jdbcUrl=" + url
            }));
    assertThat(stderr(), containsString("Cannot use PostgreSQL at " + url));
  }

  @Test
  public void aRunOnTheSamplesPrintsItsSummaryAndLittleElse() {
    Path samples = Checkout.ROOT.resolve("src/samples");
    java.util.Map.Entry<Integer, String> run =
        CliRun.of(
            "--callLogInput=" + samples.resolve("call_log*.jsonl"),
            "--clickstreamInput=" + samples.resolve("clickstream*.jsonl"),
            "--output=" + tmp.getRoot().toPath().resolve("samples-out"));
    assertEquals(run.getValue(), 0, (int) run.getKey());
    assertThat(run.getValue(), containsString("engagements written  530"));
    assertThat(run.getValue(), containsString(RunSummary.RECONCILED));
    // The README shows this summary to newcomers: every line of it, as printed.
    Readme.block(Readme.text(), "samples:summary")
        .lines()
        .filter(line -> !line.isBlank())
        .forEach(line -> assertThat(run.getValue(), containsString(line)));
    long lines = run.getValue().lines().count();
    assertTrue("printed " + lines + " lines:\n" + run.getValue(), lines < 20);
  }

  @Test
  public void aFutureRecordIsDeadLetteredAndTheRunStillReconcilesAndPublishes() throws Exception {
    Path samples = Checkout.ROOT.resolve("src/samples");
    Path clicks = tmp.newFile("clickstream.jsonl").toPath();
    Files.write(clicks, Files.readAllLines(samples.resolve("clickstream.jsonl")).subList(0, 20));
    Files.writeString(
        clicks,
        "{\"event_timestamp\":\"2099-03-02 11:50:21\",\"user_id\":\"from-the-future\","
            + "\"site_id\":\"s\",\"pages_visited\":5,\"total_seconds_on_site\":60,"
            + "\"avg_percent_viewed\":29.9}\n",
        java.nio.file.StandardOpenOption.APPEND);
    Path output = tmp.getRoot().toPath().resolve("future-out");
    java.util.Map.Entry<Integer, String> run =
        CliRun.of(
            "--callLogInput=" + samples.resolve("call_log.jsonl"),
            "--clickstreamInput=" + clicks,
            "--output=" + output);
    assertEquals(run.getValue(), 0, (int) run.getKey());
    assertThat(run.getValue(), containsString(RunSummary.RECONCILED));
    // Attributed to the raw source it came from, like every dead letter after standardization.
    assertThat(run.getValue(), containsString("future (dead-lettered) 1 (clickstream 1)"));
    assertEquals("the run was published", 1, OutputRuns.published(output.toString()).size());
  }

  @Test
  public void goodRunPrintsTheSummary() {
    Path output = tmp.getRoot().toPath().resolve("out");
    assertEquals(
        0,
        Cli.run(
            new String[] {
              "--callLogInput=" + input, "--clickstreamInput=" + input, "--output=" + output
            }));
    String summary = out.toString(StandardCharsets.UTF_8);
    assertThat(
        summary, containsString("call_log                  1              0              1"));
    assertThat(summary, containsString("engagements written  0"));
    assertThat(summary, containsString(RunSummary.RECONCILED));
  }
}
