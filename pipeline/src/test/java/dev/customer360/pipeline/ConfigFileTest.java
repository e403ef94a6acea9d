package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class ConfigFileTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void fileOptionsApplyAndTheCommandLineWins() throws Exception {
    Path file = tmp.newFile("job.yaml").toPath();
    Files.writeString(
        file,
        "# a comment\nwindow: 15m   # inline\noutput: \"/tmp/x #1\"\nsinks=files,postgres\n\nnumShards: 3\n");
    String[] args = ConfigFile.apply(new String[] {"--config=" + file, "--numShards=7"});
    Customer360Options options = PipelineOptionsFactory.fromArgs(args).as(Customer360Options.class);
    assertEquals("15m", options.getWindow().toString());
    assertEquals("/tmp/x #1", options.getOutput());
    assertEquals(
        java.util.List.of(Customer360Options.Sink.files, Customer360Options.Sink.postgres),
        options.getSinks());
    assertEquals(7, options.getNumShards());
  }

  @Test
  public void noConfigLeavesTheArgumentsAlone() {
    String[] args = {"--window=1h"};
    assertArrayEquals(args, ConfigFile.apply(args));
  }

  @Test
  public void theExampleFileNamesOnlyRealOptions() {
    Map<String, String> example = ConfigFile.read(Path.of("../src/job.example.yaml"));
    String[] args =
        example.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    // Unknown or mistyped names would make Beam refuse the arguments.
    PipelineOptionsFactory.fromArgs(args).withValidation().as(Customer360Options.class);
    assertEquals("1h", example.get("window"));
    assertEquals("files", example.get("sinks"));
    assertEquals("src/samples/call_log*.jsonl", example.get("callLogInput"));
  }

  @Test
  public void exampleFileDocumentsEveryOptionOfTheJob() throws Exception {
    String example = Files.readString(Path.of("../src/job.example.yaml"));
    java.util.List<String> missing = new java.util.ArrayList<>();
    for (java.lang.reflect.Method getter : Customer360Options.class.getMethods()) {
      boolean ours = getter.getDeclaringClass().getName().startsWith("dev.customer360");
      String name = getter.getName().replaceFirst("^(get|is)", "");
      if (ours && getter.getParameterCount() == 0 && !name.equals(getter.getName())) {
        String option = Character.toLowerCase(name.charAt(0)) + name.substring(1);
        if (!java.util.regex.Pattern.compile("(?m)^#? ?" + option + ":").matcher(example).find()) {
          missing.add(option);
        }
      }
    }
    assertEquals("options missing from src/job.example.yaml", java.util.List.of(), missing);
  }

  @Test
  public void badLinesAndMissingFilesAreNamed() throws Exception {
    Path file = tmp.newFile("bad.yaml").toPath();
    Files.writeString(file, "window 1h\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ConfigFile.read(file));
    assertThat(e.getMessage(), containsString("line 1: expected 'option: value'"));
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConfigFile.apply(new String[] {"--config=/no/such.yaml"}));
    assertThat(missing.getMessage(), containsString("--config=/no/such.yaml does not exist"));
  }
}
