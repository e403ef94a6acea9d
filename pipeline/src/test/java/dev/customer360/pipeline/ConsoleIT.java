package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * What a newcomer sees on the console: a run on the embedded Flink cluster over the samples prints
 * its summary and real warnings only; {@code --verbose} adds the warnings about Flink's setup. Each
 * run is a JVM of its own, as from run-flink.sh, because log levels are fixed once per JVM.
 */
@RunWith(JUnit4.class)
public class ConsoleIT {
  private static final Path SAMPLES = Checkout.ROOT.resolve("src/samples");

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** Everything the job printed, stdout and stderr interleaved; fails unless it exited 0. */
  private String runOnFlink(String... extra) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    // The job's zone, as run-flink.sh sets it, and the module openings Flink needs (from
    // failsafe's argLine).
    command.add("-Duser.timezone=UTC");
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-")) {
        command.add(arg);
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Customer360Pipeline.class.getName(),
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=2",
            "--callLogInput=" + SAMPLES.resolve("call_log*.jsonl"),
            "--clickstreamInput=" + SAMPLES.resolve("clickstream*.jsonl"),
            "--output=" + tmp.newFolder().toPath()));
    command.addAll(List.of(extra));
    Process job = new ProcessBuilder(command).redirectErrorStream(true).start();
    String printed = new String(job.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("the job did not end:\n" + printed, job.waitFor(5, TimeUnit.MINUTES));
    assertEquals(printed, 0, job.exitValue());
    return printed;
  }

  @Test
  public void aFlinkRunOnTheSamplesPrintsItsSummaryAndFewerThan20Lines() throws Exception {
    String printed = runOnFlink();
    assertThat(printed, containsString("engagements written  530"));
    assertThat(printed, containsString(RunSummary.RECONCILED));
    assertThat(printed, not(containsString("exceeded the 80 characters length limit")));
    assertThat(printed, printed.lines().count(), lessThan(20L));
  }

  @Test
  public void verboseShowsTheWarningsAboutFlinksSetup() throws Exception {
    String printed = runOnFlink("--verbose");
    assertThat(printed, containsString("exceeded the 80 characters length limit"));
    assertThat(printed, containsString(RunSummary.RECONCILED));
    assertThat(printed.lines().count(), greaterThan(100L));
  }
}
