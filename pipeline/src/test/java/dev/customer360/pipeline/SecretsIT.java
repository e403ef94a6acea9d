package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.pipeline.generator.RawRecordGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * A sentinel secret in the Kafka client settings appears in no option a runner shows, no display
 * data and no console line of a real run; secrets on the command line are refused.
 */
@RunWith(JUnit4.class)
public class SecretsIT {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  private static final String SENTINEL = "S3NT1NEL-do-not-print";

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static KafkaTestBroker broker;
  private static Path clientProperties;

  @BeforeClass
  public static void start() throws Exception {
    broker = new KafkaTestBroker();
    clientProperties = TMP.newFile("client.properties").toPath();
    // Unused by a PLAINTEXT broker, passed to every client all the same.
    Files.writeString(
        clientProperties,
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"u\" password=\""
            + SENTINEL
            + "\";\nssl.truststore.password="
            + SENTINEL
            + "\n");
  }

  @AfterClass
  public static void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  private String[] args(String prefix) {
    return new String[] {
      "--source=kafka",
      "--bootstrapServers=" + broker.bootstrapServers(),
      "--callLogTopic=" + prefix + "call_log",
      "--clickstreamTopic=" + prefix + "clickstream",
      "--groupId=" + prefix + "job",
      "--maxRecords=50",
      "--sinks=kafka",
      "--engagementsTopic=" + prefix + "engagements",
      "--profilesTopic=" + prefix + "profiles",
      "--deadLetterTopic=" + prefix + "dead_letters",
      "--kafkaPropertiesFile=" + clientProperties
    };
  }

  @Test
  public void noSecretInOptionsDisplayDataOrTheConsole() throws Exception {
    broker.createTopics(1, "s_call_log", "s_clickstream");
    RawRecordGenerator.Settings settings = new RawRecordGenerator.Settings();
    settings.seed = 3;
    settings.recordsPerSource = 50;
    settings.oversize = false;
    new RawRecordGenerator(settings)
        .generate()
        .linesBySource
        .forEach((source, lines) -> broker.produce("s_" + source, lines));

    Customer360Options options =
        PipelineOptionsFactory.fromArgs(args("s_")).withValidation().as(Customer360Options.class);
    Pipeline pipeline = Customer360Pipeline.build(options);
    StringBuilder display = new StringBuilder();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() != null) {
              display.append(DisplayData.from(node.getTransform())).append('\n');
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            display.append(DisplayData.from(node.getTransform())).append('\n');
          }
        });
    assertThat(display.toString(), containsString("s_call_log")); // the display data was read
    assertThat(display.toString(), not(containsString(SENTINEL)));
    // What a runner ships and shows as the job's options (Flink: /jobs/<id>/config).
    assertThat(new ObjectMapper().writeValueAsString(options), not(containsString(SENTINEL)));

    Map.Entry<Integer, String> run = CliRun.of(args("s_"));
    String printed = run.getValue();
    assertEquals(printed, 0, (int) run.getKey());
    assertThat(printed, containsString("finished in"));
    assertThat(printed, not(containsString(SENTINEL)));
  }

  @Test
  public void secretsOnTheCommandLineAreRefusedWithWhereToPutThem() {
    Map.Entry<Integer, String> kafka =
        CliRun.of(
            "--source=kafka",
            "--bootstrapServers=127.0.0.1:9",
            "--sinks=kafka",
            "--kafkaProperty=sasl.jaas.config=" + SENTINEL);
    Map.Entry<Integer, String> postgres =
        CliRun.of(
            "--callLogInput=none.jsonl",
            "--clickstreamInput=none.jsonl",
            "--sinks=postgres",
            "--jdbcUrl=jdbc:postgresql://127.0.0.1:9/db?password=" + SENTINEL);
    assertEquals(2, (int) kafka.getKey());
    assertEquals(2, (int) postgres.getKey());
    String printed = kafka.getValue() + postgres.getValue();
    assertThat(printed, containsString("put it in --kafkaPropertiesFile"));
    assertThat(printed, containsString("--jdbcPasswordEnv"));
    assertThat(printed, not(containsString(SENTINEL)));
  }
}
