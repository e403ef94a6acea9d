package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.pipeline.generator.RawRecordGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The job reading its raw topics from a real Kafka broker and writing engagements, profiles and
 * dead letters back to Kafka: every distinct engagement exactly once, a dead letter for every bad
 * record, and a clear error (not a hang) when the broker is down.
 */
@RunWith(JUnit4.class)
public class KafkaPipelineIT {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();
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

  private static RawRecordGenerator.Generated generate(long seed, int records) {
    RawRecordGenerator.Settings settings = new RawRecordGenerator.Settings();
    settings.seed = seed;
    settings.users = 60;
    settings.recordsPerSource = records;
    settings.spanHours = 24 * 5;
    settings.oversize = false; // Kafka's default limit is 1 MB per record
    return new RawRecordGenerator(settings).generate();
  }

  private static void run(String prefix, long maxRecords) {
    String[] args = {
      "--source=kafka",
      "--bootstrapServers=" + broker.bootstrapServers(),
      "--callLogTopic=" + prefix + "call_log",
      "--clickstreamTopic=" + prefix + "clickstream",
      "--groupId=" + prefix + "job",
      "--maxRecords=" + maxRecords,
      "--sinks=kafka",
      "--engagementsTopic=" + prefix + "engagements",
      "--profilesTopic=" + prefix + "profiles",
      "--deadLetterTopic=" + prefix + "dead_letters"
    };
    Customer360Pipeline.runToEnd(
        PipelineOptionsFactory.fromArgs(args).withValidation().as(Customer360Options.class));
  }

  private static Map<String, Object> json(String value) throws Exception {
    return JSON.readValue(value, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  private static Set<Map<String, Object>> engagementsIn(
      List<ConsumerRecord<String, String>> records) throws Exception {
    Set<Map<String, Object>> engagements = new HashSet<>();
    for (ConsumerRecord<String, String> r : records) {
      Map<String, Object> e = json(r.value());
      assertEquals(r.key(), e.get("user_id"));
      e.remove("event_id");
      assertEquals("engagement twice: " + e, true, engagements.add(e));
    }
    return engagements;
  }

  @Test
  public void rawTopicsInEveryDistinctEngagementOnceAndDeadLettersOut() throws Exception {
    RawRecordGenerator.Generated generated = generate(5, 600);
    broker.createTopics(2, "a_call_log", "a_clickstream");
    generated.linesBySource.forEach((source, lines) -> broker.produce("a_" + source, lines));

    run("a_", 600);

    List<ConsumerRecord<String, String>> engagements =
        broker.consume(
            "a_engagements", generated.expectedEngagements.size(), Duration.ofSeconds(60));
    assertEquals(generated.expectedEngagements.size(), engagements.size());
    assertEquals(generated.expectedEngagements, engagementsIn(engagements));

    int bad = generated.badLinesBySource.values().stream().mapToInt(List::size).sum();
    List<ConsumerRecord<String, String>> deadLetters =
        broker.consume("a_dead_letters", bad, Duration.ofSeconds(30));
    Map<String, String> rawByOrigin = rawByOrigin(generated, "a_");
    Map<String, String> sourceByPayload = new HashMap<>();
    for (ConsumerRecord<String, String> r : deadLetters) {
      Map<String, Object> d = json(r.value());
      assertEquals(r.key(), d.get("source"));
      sourceByPayload.put((String) d.get("payload"), (String) d.get("source"));
      // Each raw record's dead letter names the topic, partition and offset it was read at (a
      // validation failure's payload is the SQL's output, not the record).
      if ("validate".equals(d.get("stage"))) {
        assertTrue(d.toString(), rawByOrigin.containsKey((String) d.get("origin")));
      } else {
        assertEquals(d.toString(), d.get("payload"), rawByOrigin.get((String) d.get("origin")));
      }
    }
    assertEquals(bad, deadLetters.size());
    generated.badLinesBySource.forEach(
        (source, lines) ->
            lines.forEach(line -> assertEquals(line, source, sourceByPayload.get(line))));

    Map<String, Map<String, Object>> expectedProfiles = Expected.profiles(generated, 3_600_000L);
    List<ConsumerRecord<String, String>> profiles =
        broker.consume("a_profiles", expectedProfiles.size(), Duration.ofSeconds(30));
    assertEquals(expectedProfiles.size(), profiles.size());
    Set<String> keys = new HashSet<>();
    for (ConsumerRecord<String, String> r : profiles) {
      Map<String, Object> p = json(r.value());
      // Keyed by customer and window: a compacted topic keeps every window of a customer.
      assertEquals(
          p.get("user_id")
              + "|"
              + java.time.LocalDateTime.parse(
                      (String) p.get("window_start"),
                      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                  .toInstant(java.time.ZoneOffset.UTC)
                  .toEpochMilli(),
          r.key());
      assertTrue("two profiles share the key " + r.key(), keys.add(r.key()));
      Map<String, Object> expected =
          expectedProfiles.get(p.get("user_id") + "|" + p.get("window_start"));
      assertEquals(expected.get("engagements"), ((Number) p.get("engagements")).longValue());
      assertEquals(
          expected.get("engagement_seconds"), ((Number) p.get("engagement_seconds")).longValue());
    }
  }

  /**
   * Every raw record in the {@code prefix} topics, by {@code kafka:<topic>/<partition>@<offset>}.
   */
  private Map<String, String> rawByOrigin(RawRecordGenerator.Generated generated, String prefix) {
    Map<String, String> raw = new HashMap<>();
    generated.linesBySource.forEach(
        (source, lines) -> {
          for (ConsumerRecord<String, String> r :
              broker.consume(prefix + source, lines.size(), Duration.ofSeconds(30))) {
            raw.put("kafka:" + r.topic() + "/" + r.partition() + "@" + r.offset(), r.value());
          }
        });
    return raw;
  }

  private static final String FAR_FUTURE_CLICK =
      "{\"event_timestamp\": \"9999-12-31 23:59:59\", \"user_id\": \"u-future\","
          + " \"site_id\": \"s-future\", \"pages_visited\": 1, \"total_seconds_on_site\": 5,"
          + " \"avg_percent_viewed\": 1.0}";
  private static final String FAR_FUTURE_CALL =
      "{\"log_datatime\": \"9999-12-31 23:59:59\", \"xml\": \"<call_log>"
          + "<call_id>c-future</call_id><user_id>u-future</user_id>"
          + "<start_time>9999-12-31 23:59:59</start_time><call_time_seconds>5</call_time_seconds>"
          + "</call_log>\"}";

  @Test
  public void aFarFutureRecordIsDeadLetteredAndTheEventsAfterItAreNotLate() throws Exception {
    RawRecordGenerator.Generated generated = generate(11, 400);
    // One partition per topic: the record after the far-future one shares its watermark.
    broker.createTopics(1, "f_call_log", "f_clickstream");
    Map<String, String> farFuture =
        Map.of("call_log", FAR_FUTURE_CALL, "clickstream", FAR_FUTURE_CLICK);
    generated.linesBySource.forEach(
        (source, lines) -> {
          List<String> withPoison = new java.util.ArrayList<>(lines);
          withPoison.add(lines.size() / 4, farFuture.get(source));
          broker.produce("f_" + source, withPoison);
        });

    run("f_", 401);

    List<ConsumerRecord<String, String>> engagements =
        broker.consume(
            "f_engagements", generated.expectedEngagements.size(), Duration.ofSeconds(60));
    assertEquals(generated.expectedEngagements, engagementsIn(engagements));
    int bad = generated.badLinesBySource.values().stream().mapToInt(List::size).sum();
    List<ConsumerRecord<String, String>> deadLetters =
        broker.consume("f_dead_letters", bad + 2, Duration.ofSeconds(30));
    int future = 0;
    for (ConsumerRecord<String, String> r : deadLetters) {
      String error = (String) json(r.value()).get("error");
      assertFalse(error, error.startsWith("late:"));
      if (error.startsWith("future:")) {
        assertThat(error, containsString("9999-12-31 23:59:59"));
        future++;
      }
    }
    assertEquals(2, future);
    assertEquals(bad + 2, deadLetters.size());
  }

  @Test
  public void aBigBadRecordReachesTheDeadLetterTopicWhole() throws Exception {
    broker.createTopics(1, "g_call_log", "g_clickstream");
    String big = "{\"broken\": \"" + "x".repeat(400 * 1024); // not valid JSON, 400 KiB
    broker.produce("g_clickstream", List.of(big));
    broker.produce("g_call_log", List.of("not json"));

    run("g_", 1);

    List<ConsumerRecord<String, String>> deadLetters =
        broker.consume("g_dead_letters", 2, Duration.ofSeconds(30));
    Map<String, Map<String, Object>> bySource = new HashMap<>();
    for (ConsumerRecord<String, String> r : deadLetters) {
      bySource.put(r.key(), json(r.value()));
    }
    assertEquals(big, bySource.get("clickstream").get("payload"));
    assertEquals(true, bySource.get("clickstream").get("replayable"));
    assertEquals("not json", bySource.get("call_log").get("payload"));
  }

  @Test
  public void aValueThatIsNotUtf8IsDeadLetteredWithItsOffsetAndTheOthersComeOut() throws Exception {
    broker.createTopics(1, "u_call_log", "u_clickstream");
    List<String> calls = new java.util.ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      calls.add(
          "{\"log_datatime\": \"2020-03-04 13:19:22\", \"xml\": \"<call_log><call_id>c"
              + i
              + "</call_id><user_id>u1</user_id><start_time>2020-03-04 13:15:12</start_time>"
              + "<call_time_seconds>7</call_time_seconds></call_log>\"}");
    }
    broker.produce("u_call_log", calls);
    String click =
        "{\"event_timestamp\": \"2020-11-16 14:32:19\", \"user_id\": \"u1\", \"site_id\":"
            + " \"s1\", \"total_seconds_on_site\": 5}";
    broker.produceBytes(
        "u_clickstream",
        List.of(
            click.getBytes(StandardCharsets.UTF_8),
            withByte(click.replace("\"u1\"", "\"abc?\""), (byte) 0xff),
            withByte(click.replace("\"u1\"", "\"abc?\""), (byte) 0xfe)));

    run("u_", 3);

    assertEquals(4, broker.consume("u_engagements", 4, Duration.ofSeconds(60)).size());
    Map<String, String> errorByPayload = new HashMap<>();
    Map<String, String> originByPayload = new HashMap<>();
    for (ConsumerRecord<String, String> r :
        broker.consume("u_dead_letters", 2, Duration.ofSeconds(30))) {
      Map<String, Object> d = json(r.value());
      assertEquals("clickstream", d.get("source"));
      errorByPayload.put((String) d.get("payload"), (String) d.get("error"));
      originByPayload.put((String) d.get("payload"), (String) d.get("origin"));
    }
    // Two different customers stay two different dead letters.
    String ff = click.replace("\"u1\"", "\"abc\\xFF\"");
    String fe = click.replace("\"u1\"", "\"abc\\xFE\"");
    assertEquals(Set.of(ff, fe), errorByPayload.keySet());
    assertThat(
        errorByPayload.get(ff),
        containsString("topic u_clickstream, partition 0, offset 1 is not valid UTF-8"));
    assertThat(errorByPayload.get(fe), containsString("offset 2"));
    assertEquals(
        Map.of(ff, "kafka:u_clickstream/0@1", fe, "kafka:u_clickstream/0@2"), originByPayload);
  }

  /** {@code text} as UTF-8 with its {@code ?} replaced by the byte {@code b}. */
  private static byte[] withByte(String text, byte b) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    bytes[text.indexOf('?')] = b;
    return bytes;
  }

  @Test
  public void previewShowsTheFirstRecordsOfEachTopicAndCommitsNothing() throws Exception {
    RawRecordGenerator.Generated generated = generate(9, 40);
    broker.createTopics(1, "p_call_log", "p_clickstream");
    generated.linesBySource.forEach((source, lines) -> broker.produce("p_" + source, lines));
    String[] args = {
      "--source=kafka",
      "--bootstrapServers=" + broker.bootstrapServers(),
      "--callLogTopic=p_call_log",
      "--clickstreamTopic=p_clickstream",
      "--groupId=p_job",
    };
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Preview.run(
        PipelineOptionsFactory.fromArgs(args).withValidation().as(Customer360Options.class),
        dev.customer360.transforms.StandardSources.ALL,
        5,
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(out, containsString("== call_log: 5 records from topic p_call_log"));
    assertThat(out, containsString("== clickstream: 5 records from topic p_clickstream"));
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      assertEquals(
          Map.of(), admin.listConsumerGroupOffsets("p_job").partitionsToOffsetAndMetadata().get());
    }
  }

  @Test
  public void anAddedSourceReadsItsTopicAndIsCountedInTheSummary() throws Exception {
    broker.createTopics(1, "k_call_log", "k_clickstream", "k_pos");
    java.nio.file.Path samples = Checkout.ROOT.resolve("src/samples");
    broker.produce(
        "k_call_log",
        java.nio.file.Files.readAllLines(samples.resolve("call_log.jsonl")).subList(0, 6));
    broker.produce(
        "k_clickstream",
        java.nio.file.Files.readAllLines(samples.resolve("clickstream.jsonl")).subList(0, 6));
    broker.produce("k_pos", AddSourceWalkthroughTest.sampleRecordsFromTheReadme());
    java.nio.file.Path sql =
        AddSourceWalkthroughTest.sqlDirFromTheReadme(TMP.newFolder("k_sql").toPath());

    Map.Entry<Integer, String> run =
        CliRun.of(
            AddSourceWalkthroughTest.SOURCES,
            "--source=kafka",
            "--bootstrapServers=" + broker.bootstrapServers(),
            "--callLogTopic=k_call_log",
            "--clickstreamTopic=k_clickstream",
            "--topic=pos_transaction=k_pos",
            "--groupId=k_job",
            "--maxRecords=6",
            "--sqlDir=" + sql,
            "--sinks=kafka",
            "--engagementsTopic=k_engagements",
            "--profilesTopic=k_profiles",
            "--deadLetterTopic=k_dead_letters");

    assertEquals(run.getValue(), 0, (int) run.getKey());
    assertThat(run.getValue(), containsString(RunSummary.RECONCILED));
    assertTrue(
        run.getValue(),
        run.getValue().lines().anyMatch(l -> l.matches("pos_transaction +6 +4 +2")));
    List<String> purchases = new java.util.ArrayList<>();
    for (ConsumerRecord<String, String> r :
        broker.consume("k_engagements", 3, Duration.ofSeconds(60))) {
      Map<String, Object> e = json(r.value());
      if ("purchase".equals(e.get("engagement_type"))) {
        purchases.add((String) e.get("engagement_source_id"));
      }
    }
    java.util.Collections.sort(purchases);
    assertEquals(List.of("tx-0001", "tx-0002", "tx-0003"), purchases);
    List<ConsumerRecord<String, String>> deadLetters =
        broker.consume("k_dead_letters", 2, Duration.ofSeconds(30));
    assertEquals(2, deadLetters.stream().filter(d -> "pos_transaction".equals(d.key())).count());
  }

  /**
   * --kafkaProperty and --kafkaPropertiesFile reach the job's own consumers and producers (not only
   * its admin checks): a setting each client obeys makes the run fail with that client's error.
   */
  @Test
  public void clientSettingsReachTheJobsConsumersAndProducers() throws Exception {
    broker.createTopics(1, "cp_call_log", "cp_clickstream");
    generate(12, 20)
        .linesBySource
        .forEach((source, lines) -> broker.produce("cp_" + source, lines));
    String[] common = {
      "--source=kafka",
      "--bootstrapServers=" + broker.bootstrapServers(),
      "--callLogTopic=cp_call_log",
      "--clickstreamTopic=cp_clickstream",
      "--maxRecords=20",
      "--sinks=kafka",
      "--engagementsTopic=cp_engagements",
      "--profilesTopic=cp_profiles",
      "--deadLetterTopic=cp_dead_letters"
    };
    // A new group with no reset policy has no offset to start from: the consumer refuses.
    Map.Entry<Integer, String> consumer =
        CliRun.of(with(common, "--groupId=cp_job_1", "--kafkaProperty=auto.offset.reset=none"));
    assertEquals(consumer.getValue(), 1, (int) consumer.getKey());
    assertThat(consumer.getValue(), containsString("NoOffsetForPartitionException"));

    java.nio.file.Path file = TMP.newFile("client.properties").toPath();
    java.nio.file.Files.writeString(file, "max.request.size=100\n");
    Map.Entry<Integer, String> producer =
        CliRun.of(with(common, "--groupId=cp_job_2", "--kafkaPropertiesFile=" + file));
    assertEquals(producer.getValue(), 1, (int) producer.getKey());
    assertThat(producer.getValue(), containsString("max.request.size"));
  }

  private static String[] with(String[] first, String... more) {
    return java.util.stream.Stream.concat(
            java.util.Arrays.stream(first), java.util.Arrays.stream(more))
        .toArray(String[]::new);
  }

  @Test
  public void aRestartedJobContinuesWhereItsGroupLeftOff() throws Exception {
    RawRecordGenerator.Generated first = generate(6, 200);
    RawRecordGenerator.Generated second = generate(7, 150);
    broker.createTopics(1, "b_call_log", "b_clickstream");
    first.linesBySource.forEach((source, lines) -> broker.produce("b_" + source, lines));
    run("b_", 200);
    second.linesBySource.forEach((source, lines) -> broker.produce("b_" + source, lines));
    run("b_", 150);

    Set<Map<String, Object>> expected = new HashSet<>(first.expectedEngagements);
    expected.addAll(second.expectedEngagements);
    List<ConsumerRecord<String, String>> engagements =
        broker.consume("b_engagements", expected.size(), Duration.ofSeconds(60));
    assertEquals(expected, engagementsIn(engagements));
  }

  private static String click(String user, String time, String site, int seconds) {
    return "{\"event_timestamp\": \""
        + time
        + "\", \"user_id\": \""
        + user
        + "\", \"site_id\": \""
        + site
        + "\", \"pages_visited\": 3, \"total_seconds_on_site\": "
        + seconds
        + ", \"avg_percent_viewed\": 50.0}";
  }

  private static Map<String, Object> visit(String user, String time, String site, int seconds) {
    Map<String, Object> e = new HashMap<>();
    e.put("user_id", user);
    e.put("engagement_datetime", time);
    e.put("engagement_type", "website");
    e.put("engagement_source_id", site);
    e.put("engagement_seconds", seconds);
    return e;
  }

  @Test
  public void aStreamWritesEachEngagementOnceAndItsProfileWhileItRuns() throws Exception {
    // Without --maxRecords the read is unbounded and the job streams: dedup state, triggered
    // profiles, every sink but PostgreSQL. Events a few minutes old: their window is open (the
    // idle partition moves the watermark to processing time).
    broker.createTopics(1, "c_call_log", "c_clickstream");
    String time =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .format(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(3));
    broker.produce(
        "c_clickstream",
        List.of(
            click("ann", time, "site-1", 40),
            click("bob", time, "site-2", 25),
            click("ann", time, "site-1", 40), // a re-delivery
            "not json"));
    String[] args = {
      "--source=kafka",
      "--bootstrapServers=" + broker.bootstrapServers(),
      "--callLogTopic=c_call_log",
      "--clickstreamTopic=c_clickstream",
      "--groupId=c_job",
      "--sinks=kafka,files",
      "--output=" + java.nio.file.Files.createTempDirectory("c360-stream"),
      "--engagementsTopic=c_engagements",
      "--profilesTopic=c_profiles",
      "--deadLetterTopic=c_dead_letters",
      "--profileUpdateEvery=1s",
      "--blockOnRun=false"
    };
    org.apache.beam.sdk.PipelineResult result =
        Customer360Pipeline.run(
            PipelineOptionsFactory.fromArgs(args).withValidation().as(Customer360Options.class));
    try {
      assertEquals(
          Set.of(visit("ann", time, "site-1", 40), visit("bob", time, "site-2", 25)),
          engagementsIn(broker.consume("c_engagements", 2, Duration.ofSeconds(120))));
      // Early panes: each customer's profile counts the re-delivered visit once.
      Map<String, Object> lastProfile = new HashMap<>();
      for (ConsumerRecord<String, String> r :
          broker.consume("c_profiles", 2, Duration.ofSeconds(120))) {
        Map<String, Object> profile = json(r.value());
        lastProfile.put((String) profile.get("user_id"), profile);
      }
      assertEquals(Set.of("ann", "bob"), lastProfile.keySet());
      assertEquals(1, ((Map<?, ?>) lastProfile.get("ann")).get("engagements"));
      assertEquals(1, ((Map<?, ?>) lastProfile.get("bob")).get("engagements"));
      List<ConsumerRecord<String, String>> deadLetters =
          broker.consume("c_dead_letters", 1, Duration.ofSeconds(120));
      assertEquals(1, deadLetters.size());
      assertEquals("not json", json(deadLetters.get(0).value()).get("payload"));
    } finally {
      result.cancel();
    }
  }

  @Test
  public void aBrokerThatIsDownGivesAClearErrorInsteadOfHanging() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    long started = System.nanoTime();
    int code;
    try {
      code =
          Cli.run(
              new String[] {"--source=kafka", "--bootstrapServers=127.0.0.1:1", "--sinks=kafka"});
    } finally {
      System.setErr(old);
    }
    long seconds = Duration.ofNanos(System.nanoTime() - started).getSeconds();
    assertEquals(2, code);
    String message = err.toString(StandardCharsets.UTF_8);
    assertThat(message, containsString("Cannot reach Kafka at 127.0.0.1:1"));
    assertThat(message, containsString("Check that the broker is running"));
    // The promise is a clear error, not a hang; 120 s leaves a busy 2-core machine room.
    assertThat(seconds, lessThan(120L));
    assertFalse(message.contains("\tat "));
  }

  @Test
  public void aMissingRawTopicIsNamed() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(
          2,
          Cli.run(
              new String[] {
                "--source=kafka",
                "--bootstrapServers=" + broker.bootstrapServers(),
                "--callLogTopic=no_such_topic"
              }));
    } finally {
      System.setErr(old);
    }
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        containsString("Kafka topic 'no_such_topic' does not exist"));
  }
}
