package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

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
        "# a comment\nwindow: 15m   # inline\noutput: \"/tmp/x #1\"\nsinks: [files, postgres]\n\n"
            + "numShards: 3\nverbose: true\n");
    String[] args = ConfigFile.apply(new String[] {"--config=" + file, "--numShards=7"});
    Customer360Options options = PipelineOptionsFactory.fromArgs(args).as(Customer360Options.class);
    assertEquals("15m", options.getWindow().toString());
    assertEquals("/tmp/x #1", options.getOutput());
    assertEquals(
        java.util.List.of(Customer360Options.Sink.files, Customer360Options.Sink.postgres),
        options.getSinks());
    assertEquals(7, options.getNumShards());
    assertTrue(options.getVerbose());
  }

  @Test
  public void aListIsTheCommaSeparatedValue() throws Exception {
    Path file = yaml("sinks:\n  - files\n  - postgres\ninput: [pos=a*.jsonl, loyalty=b*.jsonl]\n");
    Map<String, String> options = ConfigFile.read(file);
    assertEquals("files,postgres", options.get("sinks"));
    assertEquals("pos=a*.jsonl,loyalty=b*.jsonl", options.get("input"));
  }

  @Test
  public void emptyValuesAndEmptyFiles() throws Exception {
    // An empty text value is passed as an empty flag value; a duration or a zone cannot be empty.
    assertEquals(Map.of("sqlDir", ""), ConfigFile.read(yaml("sqlDir:\n")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConfigFile.read(yaml("maxReadTime:   # forever\n")));
    assertThat(e.getMessage(), containsString("line 1: maxReadTime has no value"));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> ConfigFile.read(yaml("sourceTimeZone:\n")));
    assertThat(e.getMessage(), containsString("line 1: sourceTimeZone has no value"));
    assertEquals(Map.of(), ConfigFile.read(yaml("# nothing set\n")));
  }

  @Test
  public void noConfigLeavesTheArgumentsAlone() {
    String[] args = {"--window=1h"};
    assertArrayEquals(args, ConfigFile.apply(args));
  }

  @Test
  public void theExampleFileNamesOnlyRealOptions() {
    Map<String, String> example = ConfigFile.read(Checkout.ROOT.resolve("src/job.example.yaml"));
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
    String example = Files.readString(Checkout.ROOT.resolve("src/job.example.yaml"));
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

  @Test
  public void anUnknownOptionIsNamedWithItsLine() throws Exception {
    Path file = yaml("window: 1h\nnumshards: 3\n");
    assertThat(
        refused(file),
        equalTo(
            file
                + " line 2: 'numshards' is not an option of this job (did you mean numShards?);"
                + " option names are the flags without --, as in src/job.example.yaml and --help"));
    assertThat(refused(yaml("config: other.yaml\n")), containsString("line 1: 'config' cannot"));
  }

  @Test
  public void aValueOfTheWrongTypeIsNamed() throws Exception {
    assertThat(
        refused(yaml("window: 1h\nnumShards: many\n")),
        endsWith(" line 2: numShards: 'many' is not a whole number; write e.g. numShards: 3"));
    assertThat(
        refused(yaml("verbose: maybe\n")),
        endsWith(" line 1: verbose: 'maybe' is not true or false; write e.g. verbose: true"));
    assertThat(
        refused(yaml("numShards: [1, 2]\n")),
        endsWith(" line 1: numShards takes a whole number, not a list"));
    assertThat(
        refused(yaml("numShards:\n")),
        endsWith(
            " line 1: numShards has no value; give a whole number, or remove the line"
                + " to keep the default"));
    assertThat(
        refused(yaml("output:\n  path: out\n")),
        containsString(" line 2: output takes a value or a list, not nested 'name: value' lines"));
    // Quoted numbers and booleans are what the flags would say.
    assertEquals(
        Map.of("numShards", "3", "verbose", "false", "exactlyOnce", "true"),
        ConfigFile.read(yaml("numShards: \"3\"\nverbose: 'false'\nexactlyOnce: yes\n")));
  }

  @Test
  public void yamlSyntaxErrorsNameTheLine() throws Exception {
    Path file = yaml("window: 1h\nsinks=files,postgres\nnumShards: 3\n");
    String message = refused(file);
    assertThat(
        message,
        startsWith(
            file + " line 3: could not find expected ':' (while scanning a simple key on line 2)"));
    assertThat(message, endsWith("; write one 'option: value' per line"));
    assertThat(
        refused(yaml("window: 1h\noutput: out\nwindow: 2h\n")),
        containsString(" line 3: Duplicate field 'window'"));
  }

  @Test
  public void anUnreadableFileIsNamed() throws Exception {
    Path folder = tmp.newFolder("job.yaml").toPath();
    assertThat(refused(folder), startsWith("--config=" + folder + " cannot be read"));
  }

  private Path yaml(String text) throws Exception {
    Path file = tmp.newFile().toPath();
    Files.writeString(file, text);
    return file;
  }

  private static String refused(Path file) {
    return assertThrows(IllegalArgumentException.class, () -> ConfigFile.read(file)).getMessage();
  }
}
