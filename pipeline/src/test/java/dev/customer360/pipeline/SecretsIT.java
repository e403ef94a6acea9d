package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.pipeline.generator.RawRecordGenerator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
 * data and no console line of a real run, and nowhere Flink's REST API (its web UI) shows a running
 * job; secrets on the command line are refused.
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

  /**
   * A stream on the embedded Flink cluster, in a JVM of its own (log levels are fixed once per JVM)
   * that logs everything at INFO, where Kafka clients print their whole configuration: while it
   * runs, the REST answers about the job and the cluster hold no sentinel, and neither does
   * anything the JVM printed until the job was cancelled. Each answer is checked to be about this
   * job, so the test cannot pass on empty ones.
   */
  @Test
  public void noSecretInFlinksRestApiOrLogsOfAStream() throws Exception {
    broker.createTopics(1, "fs_call_log", "fs_clickstream");
    RawRecordGenerator.Settings settings = new RawRecordGenerator.Settings();
    settings.seed = 4;
    settings.recordsPerSource = 50;
    settings.oversize = false;
    new RawRecordGenerator(settings)
        .generate()
        .linesBySource
        .forEach((source, lines) -> broker.produce("fs_" + source, lines));

    // The embedded cluster's REST endpoint binds to port 0 (any) unless the Flink configuration
    // names one; --flinkConfDir gives the runner that configuration.
    int port = freePort();
    Path confDir = TMP.newFolder("flink-conf").toPath();
    Files.writeString(
        confDir.resolve("config.yaml"),
        String.format(
            "rest.address: 127.0.0.1%nrest.bind-address: 127.0.0.1%nrest.port: %d%n"
                + "rest.bind-port: '%d'%n",
            port, port));
    Path console = TMP.newFile("flink-console.txt").toPath();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-Duser.timezone=UTC");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-")) {
        command.add(arg); // the module openings Flink needs, from Failsafe's argLine
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Customer360Pipeline.class.getName(),
            "--verbose",
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--flinkConfDir=" + confDir,
            "--parallelism=1",
            "--source=kafka",
            "--bootstrapServers=" + broker.bootstrapServers(),
            "--callLogTopic=fs_call_log",
            "--clickstreamTopic=fs_clickstream",
            "--groupId=fs_job",
            "--sinks=kafka",
            "--engagementsTopic=fs_engagements",
            "--profilesTopic=fs_profiles",
            "--conflictsTopic=fs_conflicts",
            "--deadLetterTopic=fs_dead_letters",
            "--kafkaPropertiesFile=" + clientProperties));
    Process job =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(console.toFile())
            .start();
    Map<String, String> answers = new LinkedHashMap<>();
    String jobId;
    try {
      FlinkRest rest = new FlinkRest(port, job, console);
      jobId = rest.runningJob(Duration.ofSeconds(90));
      // Read records first, so the Kafka consumers exist and have logged their configuration.
      rest.awaitRecordsRead(jobId, Duration.ofSeconds(60));
      for (String path :
          List.of(
              "/jobs/" + jobId,
              "/jobs/" + jobId + "/config",
              "/jobs/" + jobId + "/plan",
              "/jobmanager/config")) {
        answers.put(path, rest.get(path));
      }
      rest.cancel(jobId);
      assertTrue(
          "the job's JVM did not end within 60 s of the job being cancelled",
          job.waitFor(60, TimeUnit.SECONDS));
    } finally {
      if (job.isAlive()) {
        job.destroy();
        if (!job.waitFor(10, TimeUnit.SECONDS)) {
          job.destroyForcibly();
        }
      }
    }
    String printed = Files.readString(console);

    ObjectMapper json = new ObjectMapper();
    JsonNode config = json.readTree(answers.get("/jobs/" + jobId + "/config"));
    assertEquals(
        "the job's options as Flink shows them",
        "fs_call_log",
        config.path("execution-config").path("user-config").path("callLogTopic").asText());
    assertThat(answers.get("/jobs/" + jobId + "/plan"), containsString("ReadCallLog"));
    assertThat(answers.get("/jobs/" + jobId), containsString("ReadCallLog"));
    assertThat(answers.get("/jobmanager/config"), containsString("\"" + port + "\""));
    // The Kafka clients logged their configuration, secrets masked; the job ran until cancelled.
    assertTrue(printed.contains("sasl.jaas.config = [hidden]"));
    List<String> errors =
        printed.lines().filter(l -> l.startsWith("error:")).collect(Collectors.toList());
    assertEquals(errors.toString(), 1, errors.size());
    assertThat(errors.get(0), containsString("Job was cancelled"));
    answers.forEach((path, answer) -> assertEquals("GET " + path, List.of(), sentinelsIn(answer)));
    assertEquals("the job's console", List.of(), sentinelsIn(printed));
  }

  /** Where the sentinel appears, 80 characters either side, so a failure shows what leaked it. */
  private static List<String> sentinelsIn(String text) {
    List<String> found = new ArrayList<>();
    for (int at = text.indexOf(SENTINEL); at >= 0; at = text.indexOf(SENTINEL, at + 1)) {
      found.add(
          text.substring(
              Math.max(0, at - 80), Math.min(text.length(), at + SENTINEL.length() + 80)));
    }
    return found;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The embedded cluster's REST API; every wait is bounded and says what the job printed. */
  private static final class FlinkRest {
    private final String base;
    private final Process job;
    private final Path console;
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    FlinkRest(int port, Process job, Path console) {
      this.base = "http://127.0.0.1:" + port;
      this.job = job;
      this.console = console;
    }

    String get(String path) throws IOException, InterruptedException {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        throw new IOException("GET " + path + " answered " + response.statusCode());
      }
      return response.body();
    }

    /** The id of the one job, once it runs; the REST endpoint comes up with the cluster. */
    String runningJob(Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      String last = "no answer";
      while (System.nanoTime() < deadline && job.isAlive()) {
        try {
          last = get("/jobs");
          for (JsonNode j : json.readTree(last).path("jobs")) {
            if ("RUNNING".equals(j.path("status").asText())) {
              return j.path("id").asText();
            }
          }
        } catch (IOException e) {
          last = e.toString();
        }
        Thread.sleep(500);
      }
      throw new AssertionError(
          "no running job at " + base + " within " + timeout + " (last: " + last + ")" + tail());
    }

    /** Waits until some step of the job wrote records, i.e. the Kafka read delivered some. */
    void awaitRecordsRead(String jobId, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && job.isAlive()) {
        for (JsonNode vertex : json.readTree(get("/jobs/" + jobId)).path("vertices")) {
          if (vertex.path("metrics").path("write-records").asLong() > 0) {
            return;
          }
        }
        Thread.sleep(500);
      }
      throw new AssertionError("job " + jobId + " read no record within " + timeout + tail());
    }

    void cancel(String jobId) throws IOException, InterruptedException {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
                  .method("PATCH", HttpRequest.BodyPublishers.noBody())
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertEquals("cancelling job " + jobId + ": " + response.body(), 202, response.statusCode());
    }

    private String tail() throws IOException {
      List<String> lines = Files.readAllLines(console);
      return "; the job's JVM "
          + (job.isAlive() ? "runs" : "exited " + job.exitValue())
          + ", its last lines:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
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
