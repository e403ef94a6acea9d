package dev.customer360.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.io.files.WriteOutputFiles;
import dev.customer360.pipeline.Customer360Options.Sink;
import dev.customer360.pipeline.Customer360Options.Source;
import dev.customer360.transforms.DurationOption;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Every typed option: its documented values are read, a bad value is refused in one line that names
 * the flag and what to write, and the values survive the trip to the workers.
 */
@RunWith(JUnit4.class)
public class CommandLineTest {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  private static final String DURATION =
      "is not a duration; use e.g. 30s, 15m, 1h, 1d or ISO-8601 PT1H";

  @Test
  public void readsTheDocumentedValues() {
    Customer360Options o =
        CommandLine.parse(
            new String[] {
              "--source=kafka",
              "--sinks=files,postgres,kafka",
              "--format=parquet",
              "--compression=gzip",
              "--window=15m",
              "--allowedLateness=PT2H",
              "--maxFutureSkew=600s",
              "--profileUpdateEvery=500ms",
              "--maxOutOfOrderness=1d",
              "--maxReadTime=2m",
              "--jdbcSocketTimeout=120s",
              "--jdbcConnectTimeout=10s",
              "--sourceTimeZone=Europe/Tallinn"
            });
    assertEquals(Source.kafka, o.getSource());
    assertEquals(List.of(Sink.files, Sink.postgres, Sink.kafka), o.getSinks());
    assertEquals(WriteOutputFiles.Format.parquet, o.getFormat());
    assertEquals(WriteOutputFiles.JsonCompression.gzip, o.getCompression());
    assertEquals(Duration.standardMinutes(15), o.getWindow().duration());
    assertEquals(Duration.standardHours(2), o.getAllowedLateness().duration());
    assertEquals(Duration.standardMinutes(10), o.getMaxFutureSkew().duration());
    assertEquals(Duration.millis(500), o.getProfileUpdateEvery().duration());
    assertEquals(Duration.standardDays(1), o.getMaxOutOfOrderness().duration());
    assertEquals(Duration.standardMinutes(2), o.getMaxReadTime().duration());
    assertEquals(ZoneId.of("Europe/Tallinn"), o.getSourceTimeZone());
  }

  @Test
  public void defaultsAreTheDocumentedOnes() {
    Customer360Options o = CommandLine.parse(new String[0]);
    assertEquals(Source.files, o.getSource());
    assertEquals(List.of(Sink.files), o.getSinks());
    assertEquals(WriteOutputFiles.Format.json, o.getFormat());
    assertEquals(WriteOutputFiles.JsonCompression.none, o.getCompression());
    assertEquals("1h", o.getWindow().toString());
    assertEquals("1h", o.getAllowedLateness().toString());
    assertEquals("10m", o.getMaxFutureSkew().toString());
    assertEquals("1m", o.getProfileUpdateEvery().toString());
    assertEquals("10m", o.getMaxOutOfOrderness().toString());
    assertNull("unset: read forever", o.getMaxReadTime());
    assertEquals("120s", o.getJdbcSocketTimeout().toString());
    assertEquals("10s", o.getJdbcConnectTimeout().toString());
    assertEquals(ZoneId.of("UTC"), o.getSourceTimeZone());
  }

  @Test
  public void typedValuesSurviveTheTripToTheWorkers() throws Exception {
    // Runners ship the options as JSON and read them back on each worker.
    ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
    Customer360Options sent =
        CommandLine.parse(
            new String[] {
              "--sinks=postgres,kafka",
              "--format=parquet",
              "--window=PT30M",
              "--sourceTimeZone=+02:00"
            });
    Customer360Options received =
        mapper
            .readValue(mapper.writeValueAsString(sent), PipelineOptions.class)
            .as(Customer360Options.class);
    assertEquals(List.of(Sink.postgres, Sink.kafka), received.getSinks());
    assertEquals(WriteOutputFiles.Format.parquet, received.getFormat());
    assertEquals(DurationOption.parse("30m"), received.getWindow());
    assertEquals("PT30M", received.getWindow().toString());
    assertEquals(ZoneOffset.ofHours(2), received.getSourceTimeZone());
  }

  @Test
  public void aBadEnumValueNamesTheFlagAndTheChoices() {
    refused("--source=Kafka", "--source: 'Kafka' is not one of files or kafka");
    refused(
        "--sinks=files,bigquery",
        "--sinks: 'bigquery' is not one of files, postgres, kafka (comma-separated, no spaces)");
    refused("--format=csv", "--format: 'csv' is not one of json or parquet");
    refused("--compression=zip", "--compression: 'zip' is not one of none or gzip");
  }

  @Test
  public void aBadDurationNamesTheFlagAndTheForms() {
    for (String flag :
        List.of(
            "window",
            "allowedLateness",
            "maxFutureSkew",
            "profileUpdateEvery",
            "maxOutOfOrderness",
            "maxReadTime",
            "partitionDiscoveryInterval",
            "jdbcSocketTimeout",
            "jdbcConnectTimeout")) {
      refused("--" + flag + "=abc", "--" + flag + ": 'abc' " + DURATION);
    }
    refused("--window=10", "--window: '10' " + DURATION);
    refused("--window=null", "--window: 'null' " + DURATION);
  }

  @Test
  public void aBadTimeZoneNamesTheFlagAndTheForms() {
    String zone = "is not a time zone; use e.g. UTC, Europe/Tallinn or +02:00";
    refused("--sourceTimeZone=Mars/Base", "--sourceTimeZone: 'Mars/Base' " + zone);
    refused("--sourceTimeZone=2", "--sourceTimeZone: '2' " + zone);
    refused("--sourceTimeZone=null", "--sourceTimeZone: 'null' " + zone);
  }

  @Test
  public void anEmptyValueSaysToGiveOneOrLeaveTheOptionOut() {
    for (String flag : List.of("maxReadTime", "sinks", "source", "format", "sourceTimeZone")) {
      refused(
          "--" + flag + "=",
          "--" + flag + ": no value given; give one, or leave the option out for its default");
    }
  }

  @Test
  public void numbersAndSwitchesNameTheFlag() {
    refused("--numShards=two", "--numShards: 'two' is not a whole number");
    refused("--maxRecords=1e3", "--maxRecords: '1e3' is not a whole number");
    refused("--exactlyOnce=yes", "--exactlyOnce: 'yes' is not true or false");
  }

  @Test
  public void theFlagToBlameIsFoundAmongGoodOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CommandLine.parse(
                    new String[] {
                      "--source=kafka", "--window=1h", "--format=xml", "--numShards=2"
                    }));
    assertEquals("--format: 'xml' is not one of json or parquet", e.getMessage());
  }

  @Test
  public void valuesThatReadButCannotServeAreRefusedWhenTheGraphIsBuilt() {
    String[] files = {"--callLogInput=in/a.jsonl", "--clickstreamInput=in/b.jsonl"};
    refusedByBuild(files, "--window=0s", "--window must be longer than zero, e.g. --window=1h");
    refusedByBuild(
        files,
        "--dedupShards=-1",
        "--dedupShards must be 0 (the default number) or more (shards), got -1");
    refusedByBuild(
        new String[] {
          files[0], files[1], "--sinks=postgres", "--jdbcUrl=jdbc:postgresql://localhost/db"
        },
        "--jdbcSocketTimeout=0s",
        "--jdbcSocketTimeout=0s: give a timeout of at least 1s, e.g. --jdbcSocketTimeout=120s");
    refusedByBuild(
        new String[] {
          files[0], files[1], "--sinks=postgres", "--jdbcUrl=jdbc:postgresql://localhost/db"
        },
        "--jdbcBatchSize=0",
        "--jdbcBatchSize must be at least 1, got 0");
    refusedByBuild(
        new String[] {"--source=kafka", "--bootstrapServers=localhost:9092"},
        "--numShards=0",
        "--numShards must be at least 1 when the file sink writes a stream (--source=kafka"
            + " without --maxRecords/--maxReadTime)");
  }

  private static void refused(String arg, String message) {
    IllegalArgumentException e =
        assertThrows(
            arg, IllegalArgumentException.class, () -> CommandLine.parse(new String[] {arg}));
    assertEquals(arg, message, e.getMessage());
  }

  private static void refusedByBuild(String[] base, String arg, String message) {
    String[] args = java.util.Arrays.copyOf(base, base.length + 1);
    args[base.length] = arg;
    Customer360Options options = CommandLine.parse(args);
    IllegalArgumentException e =
        assertThrows(arg, IllegalArgumentException.class, () -> Customer360Pipeline.build(options));
    assertEquals(arg, message, e.getMessage());
  }
}
