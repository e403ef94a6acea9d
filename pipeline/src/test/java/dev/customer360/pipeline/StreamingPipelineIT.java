package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesRegex;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.pipeline.generator.RawRecordGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * A stream end to end: an unbounded Kafka read (no --maxRecords), records produced while the job
 * runs, output to files and Kafka, the job cancelled once its output caught up. Event times are
 * near now and windows 10 s, so windows close during the test (a caught-up partition's watermark
 * follows processing time). Checked on the outputs, not on metrics (a cancelled Flink job may not
 * report them): every distinct engagement once, a dead letter for every bad record, re-deliveries
 * after their window closed as {@code late:} dead letters, one final profile per customer and
 * window with the sums of its distinct engagements, per-firing file names, and the dead-letter
 * files flushed. On Flink the Kafka sink is the exactly-once one, read back {@code read_committed}.
 */
@RunWith(JUnit4.class)
public class StreamingPipelineIT {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WINDOW_MILLIS = 10_000;
  private static final Duration CAUGHT_UP = Duration.ofSeconds(240);

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static KafkaTestBroker broker;

  @BeforeClass
  public static void startBroker() throws Exception {
    broker = new KafkaTestBroker();
  }

  @AfterClass
  public static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  public void directRunnerStreamsIntoFilesAndKafka() throws Exception {
    streamAndCheck("d_", List.of("--blockOnRun=false"));
  }

  // With the exactly-once Kafka sink, read back read_committed. It once seemed to stall here (112
  // of 140 engagements): the test's own producer had lost part of its input right after the topic
  // was created, which KafkaTestBroker now waits out and checks.
  @Test
  public void flinkStreamsIntoFilesAndKafka() throws Exception {
    streamAndCheck(
        "f_",
        List.of(
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--attachedMode=false",
            "--parallelism=2",
            "--checkpointingInterval=1000",
            "--exactlyOnce=true"));
  }

  /**
   * Records whose event times span {@code spanSeconds} from {@code secondsAgo} before now. A span
   * shorter than window plus lateness keeps the shuffled records of one batch from being late.
   */
  private static RawRecordGenerator.Generated generate(
      long seed, int records, int secondsAgo, int spanSeconds, double badRate) {
    RawRecordGenerator.Settings settings = new RawRecordGenerator.Settings();
    settings.seed = seed;
    settings.users = 8;
    settings.recordsPerSource = records;
    settings.start = LocalDateTime.now(ZoneOffset.UTC).minusSeconds(secondsAgo);
    settings.spanSeconds = spanSeconds;
    settings.badRate = badRate;
    settings.conflictRate = 0; // the keep-rule's stream corrections: KeepRuleOnFlinkIT
    settings.oversize = false; // Kafka's default limit is 1 MB per record
    return new RawRecordGenerator(settings).generate();
  }

  private void streamAndCheck(String prefix, List<String> runnerArgs) throws Exception {
    broker.createTopics(2, prefix + "call_log", prefix + "clickstream");
    Path output = TMP.newFolder(prefix + "out").toPath();
    // First batch: 70 to 62 s ago, with exact re-deliveries and bad records.
    RawRecordGenerator.Generated first = generate(11, 80, 70, 8, 0.05);
    first.linesBySource.forEach((source, lines) -> broker.produce(prefix + source, lines));

    List<String> args =
        new ArrayList<>(
            List.of(
                "--source=kafka",
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--callLogTopic=" + prefix + "call_log",
                "--clickstreamTopic=" + prefix + "clickstream",
                "--groupId=" + prefix + "job",
                "--sinks=files,kafka",
                "--output=" + output,
                "--numShards=1",
                "--engagementsTopic=" + prefix + "engagements",
                "--profilesTopic=" + prefix + "profiles",
                "--conflictsTopic=" + prefix + "conflicts",
                "--deadLetterTopic=" + prefix + "dead_letters",
                "--window=10s",
                "--allowedLateness=10s",
                // At least the disorder of a batch (shuffled over 8 s): see the README's note on
                // records behind the watermark on the DirectRunner.
                "--maxOutOfOrderness=10s",
                "--profileUpdateEvery=3s"));
    args.addAll(runnerArgs);
    Customer360Options options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(Customer360Options.class);
    PipelineResult job = Customer360Pipeline.run(options);
    try {
      Map<String, Map<String, Object>> firstProfiles = Expected.profiles(first, WINDOW_MILLIS);
      awaitOutput(
          "the first batch's engagements and final profiles in Kafka",
          () ->
              String.format(
                  "job %s, engagements %d of %d, final profiles %d of %d, dead letters %s,"
                      + " missing %s",
                  job.getState(),
                  engagementsIn(prefix).size(),
                  first.expectedEngagements.size(),
                  finalProfilesIn(prefix).size(),
                  firstProfiles.size(),
                  deadLetterReasons(prefix),
                  missing(first.expectedEngagements, engagementsIn(prefix))),
          () ->
              engagementsIn(prefix).size() == first.expectedEngagements.size()
                  && finalProfilesIn(prefix).keySet().containsAll(firstProfiles.keySet()));

      // Second batch, once the first batch's windows have closed: three re-deliveries per source
      // of records from those windows (late), and new records from the last 3 s.
      RawRecordGenerator.Generated second = generate(12, 20, 3, 3, 0);
      Map<String, List<String>> redelivered = new HashMap<>();
      first.linesBySource.forEach(
          (source, lines) -> {
            List<String> good =
                lines.stream()
                    .filter(l -> !first.badLinesBySource.get(source).contains(l))
                    .distinct()
                    .limit(3)
                    .collect(Collectors.toList());
            redelivered.put(source, good);
            List<String> batch = new ArrayList<>(good);
            batch.addAll(second.linesBySource.get(source));
            broker.produce(prefix + source, batch);
          });

      Set<Map<String, Object>> allEngagements = new HashSet<>(first.expectedEngagements);
      allEngagements.addAll(second.expectedEngagements);
      Map<String, Map<String, Object>> allProfiles = new HashMap<>(firstProfiles);
      allProfiles.putAll(Expected.profiles(second, WINDOW_MILLIS));
      Set<String> bad = new HashSet<>();
      first.badLinesBySource.values().forEach(bad::addAll);
      int late = redelivered.values().stream().mapToInt(List::size).sum();
      Path engagementFiles = output.resolve(Customer360Pipeline.ENGAGEMENTS);
      Path profileFiles = output.resolve(Customer360Pipeline.PROFILES);
      Path deadLetterFiles = output.resolve(Customer360Pipeline.DEAD_LETTER);
      awaitOutput(
          "every engagement, final profile and dead letter in Kafka and in files",
          () ->
              String.format(
                  "job %s; Kafka: engagements %d of %d, final profiles %d of %d, dead letters %d"
                      + " of %d;"
                      + " files: engagements %d, final profiles %d, dead letters %d; dead letters"
                      + " in Kafka %s, missing %s",
                  job.getState(),
                  engagementsIn(prefix).size(),
                  allEngagements.size(),
                  finalProfilesIn(prefix).size(),
                  allProfiles.size(),
                  deadLettersIn(prefix).size(),
                  bad.size() + late,
                  readFiles(engagementFiles).size(),
                  finalProfiles(readFiles(profileFiles)).size(),
                  readFiles(deadLetterFiles).size(),
                  deadLetterReasons(prefix),
                  missing(allEngagements, engagementsIn(prefix))),
          () ->
              engagementsIn(prefix).size() == allEngagements.size()
                  && finalProfilesIn(prefix).keySet().containsAll(allProfiles.keySet())
                  && deadLettersIn(prefix).size() >= bad.size() + late
                  && readFiles(engagementFiles).size() >= allEngagements.size()
                  && finalProfiles(readFiles(profileFiles))
                      .keySet()
                      .containsAll(allProfiles.keySet())
                  && readFiles(deadLetterFiles).size() >= bad.size() + late);

      // Kafka and files each hold every distinct engagement once and nothing else.
      assertEquals(allEngagements, engagementsIn(prefix));
      assertEquals(allEngagements, distinctEngagements(readFiles(engagementFiles)));

      // One final profile per customer and window, with the sums of its distinct engagements.
      assertProfiles(allProfiles, consumeAll(prefix + "profiles"));
      assertProfiles(allProfiles, readFiles(profileFiles));
      assertThat(
          fileNames(profileFiles),
          hasItem(matchesRegex("profiles-\\d{8}T\\d{4}(\\d{2})?-p\\d+-.*")));

      // Bad records with their reasons; re-deliveries after the window closed as late.
      assertDeadLetters(deadLettersIn(prefix), bad, late);
      assertDeadLetters(readFiles(deadLetterFiles), bad, late);
    } finally {
      job.cancel();
    }
  }

  private static void awaitOutput(String what, Callable<String> status, Callable<Boolean> caughtUp)
      throws Exception {
    long deadline = System.nanoTime() + CAUGHT_UP.toNanos();
    while (!caughtUp.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "not caught up within " + CAUGHT_UP + ": " + what + " (" + status.call() + ")");
      }
      Thread.sleep(1000);
    }
  }

  /** Every committed record of {@code topic} up to its current end (no group, no waiting). */
  private static List<Map<String, Object>> consumeAll(String topic) throws IOException {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<Map<String, Object>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end in 30 s");
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(json(r.value()));
        }
      }
    }
    return records;
  }

  private static Set<Map<String, Object>> engagementsIn(String prefix) throws IOException {
    return distinctEngagements(consumeAll(prefix + "engagements"));
  }

  private static List<Map<String, Object>> deadLettersIn(String prefix) throws IOException {
    return consumeAll(prefix + "dead_letters");
  }

  /** Dead letters in Kafka counted by the start of their reason, for a failure message. */
  private static Map<String, Long> deadLetterReasons(String prefix) throws IOException {
    return deadLettersIn(prefix).stream()
        .collect(
            Collectors.groupingBy(
                d -> String.valueOf(d.get("error")).split(":", 2)[0], Collectors.counting()));
  }

  /** Up to three expected engagements not yet seen, for a failure message. */
  private static List<Map<String, Object>> missing(
      Set<Map<String, Object>> expected, Set<Map<String, Object>> seen) {
    return expected.stream().filter(e -> !seen.contains(e)).limit(3).collect(Collectors.toList());
  }

  private static Map<String, Map<String, Object>> finalProfilesIn(String prefix)
      throws IOException {
    return finalProfiles(consumeAll(prefix + "profiles"));
  }

  /** The engagements without their event ids, failing on one seen twice. */
  private static Set<Map<String, Object>> distinctEngagements(List<Map<String, Object>> records) {
    Set<Map<String, Object>> engagements = new HashSet<>();
    for (Map<String, Object> e : records) {
      Map<String, Object> fields = new LinkedHashMap<>(e);
      fields.remove("event_id");
      assertTrue("engagement twice: " + fields, engagements.add(fields));
    }
    return engagements;
  }

  /** Final profiles by {@code user_id|window_start}, failing on a second final one. */
  private static Map<String, Map<String, Object>> finalProfiles(List<Map<String, Object>> records) {
    Map<String, Map<String, Object>> finals = new HashMap<>();
    for (Map<String, Object> p : records) {
      if (Boolean.TRUE.equals(p.get("final"))) {
        String key = p.get("user_id") + "|" + p.get("window_start");
        Map<String, Object> before = finals.put(key, p);
        assertEquals("a second final profile for " + key + ", the first: " + before, null, before);
      }
    }
    return finals;
  }

  private static void assertProfiles(
      Map<String, Map<String, Object>> expected, List<Map<String, Object>> records) {
    for (Map<String, Object> p : records) {
      assertThat(p.get("pane").toString(), matchesRegex("EARLY|ON_TIME|LATE"));
    }
    Map<String, Map<String, Object>> finals = finalProfiles(records);
    assertEquals(expected.keySet(), finals.keySet());
    expected.forEach(
        (key, sums) ->
            sums.forEach(
                (field, value) ->
                    assertEquals(
                        key + " " + field,
                        value.toString(),
                        String.valueOf(finals.get(key).get(field)))));
  }

  private static void assertDeadLetters(
      List<Map<String, Object>> deadLetters, Set<String> bad, int late) {
    Set<String> badSeen = new HashSet<>();
    int lateSeen = 0;
    for (Map<String, Object> d : deadLetters) {
      String error = (String) d.get("error");
      if (error.startsWith("late:")) {
        lateSeen++;
      } else {
        assertTrue("a dead letter that is not a bad record: " + d, bad.contains(d.get("payload")));
        assertTrue("a bad record twice: " + d, badSeen.add((String) d.get("payload")));
      }
    }
    assertEquals(bad, badSeen);
    assertEquals(late, lateSeen);
  }

  /** Every JSON line in the finished files below {@code dir} (not FileIO's temp files). */
  private static List<Map<String, Object>> readFiles(Path dir) throws IOException {
    List<Map<String, Object>> records = new ArrayList<>();
    for (Path file : files(dir)) {
      for (String line : Files.readAllLines(file)) {
        records.add(json(line));
      }
    }
    return records;
  }

  private static List<String> fileNames(Path dir) throws IOException {
    return files(dir).stream().map(f -> f.getFileName().toString()).collect(Collectors.toList());
  }

  private static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> !f.toString().contains(".temp-beam"))
          .filter(f -> f.getFileName().toString().endsWith(".json"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static Map<String, Object> json(String line) throws IOException {
    return JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {});
  }
}
