package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.options.Description;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** {@code --help} shows this job's options by concern; {@code --help=<class>} is Beam's help. */
@RunWith(JUnit4.class)
public class HelpTest {
  @Test
  public void listsTheJobsOptionsByConcernWithTheirDefaults() {
    Map.Entry<Integer, String> help = CliRun.of("--help");
    assertEquals(0, (int) help.getKey());
    String text = help.getValue();
    for (String group :
        List.of("\nSources\n", "\nSinks\n", "\nTime and lateness\n", "\nRunner and Flink\n")) {
      assertThat(text, containsString(group));
    }
    assertThat(text, containsString("  --source=<files|kafka>  (default: files)\n"));
    assertThat(text, containsString("  --callLogInput=<String>\n"));
    assertThat(text, containsString("  --window=<Duration>  (default: 1h)\n"));
    assertThat(text, containsString("  --allowedLateness=<Duration>  (default: 1h)\n"));
    assertThat(text, containsString("  --sinks=<files|postgres|kafka>,...  (default: files)\n"));
    assertThat(text, containsString("  --format=<json|parquet>  (default: json)\n"));
    assertThat(text, containsString("  --jdbcSocketTimeout=<Duration>  (default: 120s)\n"));
    assertThat(text, containsString("  --sourceTimeZone=<TimeZone>  (default: UTC)\n"));
    assertThat(text, containsString("  --maxReadTime=<Duration>\n"));
    assertThat(text, containsString("  --maxRecords=<Long>  (default: 0)\n"));
    assertThat(text, containsString("  --input=<String>,...\n"));
    assertThat(text, containsString("  --verbose  (default: false)\n"));
    assertThat(text, containsString("  --config=<file>\n"));
    assertThat(
        text,
        containsString("  --runner=<Class>  (default: DirectRunner; run-flink.sh: FlinkRunner)"));
    assertThat(text, containsString("  --flinkMaster=<String>  (default: [auto])\n"));
    assertThat(text, containsString("  --checkpointingInterval=<Long>"));
    // Descriptions follow their flag, wrapped and indented.
    assertThat(
        text,
        containsString(
            "  --window=<Duration>  (default: 1h)\n      Event-time window of dedup and profiles"));
    assertThat(text, containsString("--help=FlinkPipelineOptions"));
    // Beam's registry of option classes this job never uses stays out.
    for (String foreign : List.of("BigQuery", "bigQuery", "Pubsub", "pubsub", "Firestore", "Gcp")) {
      assertThat(text, not(containsString(foreign)));
    }
    for (String line : text.split("\n")) {
      assertThat(line, line.length() <= 100, org.hamcrest.Matchers.is(true));
    }
  }

  @Test
  public void everyOptionOfTheJobIsInExactlyOneGroup() {
    List<String> grouped = new ArrayList<>();
    Help.GROUPS.forEach(g -> grouped.addAll(g.options()));
    assertEquals("an option listed twice", new TreeSet<>(grouped).size(), grouped.size());
    TreeSet<String> missing = new TreeSet<>(ownOptions());
    missing.removeAll(grouped);
    assertEquals("options --help does not show: add them to Help.GROUPS", "[]", missing.toString());
  }

  @Test
  public void helpOnOneOptionsClassIsBeams() {
    Map.Entry<Integer, String> own = CliRun.of("--help=Customer360Options");
    assertEquals(0, (int) own.getKey());
    assertThat(own.getValue(), containsString("dev.customer360.transforms.EngagementOptions:"));
    assertThat(
        own.getValue(), containsString("  --window=<DurationOption>\n    Default: OneHour\n"));

    Map.Entry<Integer, String> flink =
        CliRun.of("--help=org.apache.beam.runners.flink.FlinkPipelineOptions");
    assertEquals(0, (int) flink.getKey());
    assertThat(flink.getValue(), containsString("--flinkMaster=<String>"));

    assertThat(CliRun.of("--help=DirectOptions").getValue(), containsString("--blockOnRun"));
  }

  @Test
  public void helpOnAnUnknownClassSaysSo() {
    Map.Entry<Integer, String> help = CliRun.of("--help=NoSuchOptions");
    assertEquals(2, (int) help.getKey());
    assertThat(
        help.getValue(), containsString("error: --help=NoSuchOptions names no options class"));
    assertThat(help.getValue(), not(containsString("BigQuery")));
  }

  @Test
  public void aBadOptionPointsToTheHelp() {
    Map.Entry<Integer, String> run = CliRun.of("--windw=1h");
    assertEquals(2, (int) run.getKey());
    assertThat(run.getValue(), containsString("Run with --help for the options"));
  }

  /** The options of this job's own interfaces (not Beam's), by property name. */
  private static List<String> ownOptions() {
    List<String> names = new ArrayList<>();
    for (Method m : Customer360Options.class.getMethods()) {
      boolean own = m.getDeclaringClass().getName().startsWith("dev.customer360.");
      if (own && m.getParameterCount() == 0 && m.isAnnotationPresent(Description.class)) {
        String name = m.getName().replaceFirst("^(get|is)", "");
        names.add(Character.toLowerCase(name.charAt(0)) + name.substring(1));
      }
    }
    return names;
  }
}
