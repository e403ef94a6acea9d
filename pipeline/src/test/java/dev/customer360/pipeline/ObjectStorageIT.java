package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.pipeline.generator.GenerateRawRecords;
import dev.customer360.pipeline.generator.RawRecordGenerator;
import dev.customer360.pipeline.tools.ParquetLines;
import dev.customer360.transforms.values.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The file sink writing to a real S3 API server (s3proxy): JSON lines and Parquet read back through
 * the S3 API as the same set of events, in partitions that match the event times, and profiles and
 * dead letters as the generator's answer; the samples give the golden outputs and no probe object
 * is left behind; a missing bucket is a clear error before anything runs.
 */
@RunWith(JUnit4.class)
public class ObjectStorageIT {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The job's default window, one hour. */
  private static final long WINDOW_MILLIS = 3_600_000L;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @ClassRule public static final S3TestServer S3 = new S3TestServer();
  private static Path data;
  private static RawRecordGenerator.Generated generated;

  @BeforeClass
  public static void setUp() throws Exception {
    generated = Expected.generate(77, 50, 400, 30);
    data = TMP.newFolder("data").toPath();
    GenerateRawRecords.write(data, generated, false);
  }

  private static void run(String output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--callLogInput=" + data.resolve("call_log.jsonl"),
                "--clickstreamInput=" + data.resolve("clickstream.jsonl"),
                "--output=" + output,
                "--s3Endpoint=" + S3.endpoint()));
    args.addAll(List.of(extra));
    Customer360Pipeline.runToEnd(
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(Customer360Options.class));
  }

  private static List<S3Object> list(String prefix) {
    return S3.list(prefix);
  }

  private static byte[] get(String key) {
    return S3.get(key);
  }

  /** Checks the dt=/hour= partition of {@code key} against the engagement's time. */
  private static void assertInItsPartition(String key, String datetime) {
    String partition =
        "dt=" + datetime.substring(0, 10) + "/hour=" + datetime.substring(11, 13) + "/";
    assertThat(
        key, org.hamcrest.Matchers.matchesPattern(".*/engagements/run=[^/]+/" + partition + ".*"));
  }

  @Test
  @SuppressWarnings("unchecked")
  public void jsonAndParquetReadBackAsTheSameEventsInTheirPartitions() throws Exception {
    run("s3://lake/json");
    run("s3://lake/parquet", "--format=parquet");

    Set<Map<String, Object>> fromJson = new HashSet<>();
    for (S3Object o : list("json/engagements/")) {
      for (String line : new String(get(o.key()), StandardCharsets.UTF_8).split("\n")) {
        Map<String, Object> e =
            JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {});
        e.remove("event_id");
        assertInItsPartition(o.key(), (String) e.get("engagement_datetime"));
        assertTrue("engagement twice: " + e, fromJson.add(e));
      }
    }
    assertEquals(generated.expectedEngagements, fromJson);

    Set<Map<String, Object>> fromParquet = new HashSet<>();
    Path local = TMP.newFolder("parquet").toPath();
    int files = 0;
    for (S3Object o : list("parquet/engagements/")) {
      assertTrue(o.key(), o.key().endsWith(".parquet"));
      Path file = local.resolve("f" + files++ + ".parquet");
      Files.write(file, get(o.key()));
      for (GenericRecord r : ParquetLines.read(file)) {
        Schema schema = r.getSchema();
        assertEquals(
            LogicalTypes.timestampMillis(),
            nonNull(schema.getField("engagement_datetime").schema()).getLogicalType());
        assertEquals(
            Schema.Type.INT, nonNull(schema.getField("engagement_seconds").schema()).getType());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("user_id", r.get("user_id").toString());
        e.put(
            "engagement_datetime",
            TIME.format(Instant.ofEpochMilli(millis(r.get("engagement_datetime")))));
        e.put("engagement_type", r.get("engagement_type").toString());
        e.put("engagement_source_id", r.get("engagement_source_id").toString());
        e.put("engagement_seconds", r.get("engagement_seconds"));
        assertInItsPartition(o.key(), (String) e.get("engagement_datetime"));
        assertTrue("engagement twice: " + e, fromParquet.add(e));
      }
    }
    assertEquals(fromJson, fromParquet);
    // Profiles and dead letters read back from S3 are the generator's answer, not just present.
    Path json = download("json/");
    Expected.assertProfilesAreSumsOverDistinctEvents(generated, json, WINDOW_MILLIS);
    assertEquals(
        expectedDeadLetters(), deadLetters(Expected.readJsonLines(json.resolve("dead-letter"))));
    assertEquals(Expected.profiles(generated, WINDOW_MILLIS), parquetProfiles("parquet/profiles/"));
    // The manifest, written last, lists exactly the files the run wrote.
    List<S3Object> manifests = list("json/_manifests/");
    assertEquals(1, manifests.size());
    Map<String, List<String>> listed =
        JSON
            .readValue(get(manifests.get(0).key()), new TypeReference<Map<String, Object>>() {})
            .entrySet()
            .stream()
            .filter(e -> e.getKey().equals("files"))
            .map(e -> (Map<String, List<String>>) e.getValue())
            .findFirst()
            .orElseThrow();
    for (String output : List.of("engagements", "profiles", "dead-letter")) {
      List<String> keys = new ArrayList<>();
      list("json/" + output + "/").forEach(o -> keys.add(o.key().substring("json/".length())));
      keys.sort(null);
      assertEquals(output, keys, listed.get(output));
    }
  }

  @Test
  public void aReplayReadsParquetDeadLettersFromS3AndPublishesARunOfItsOwn() throws Exception {
    run("s3://lake/replayed", "--format=parquet");
    List<String> originals = list("replayed/").stream().map(S3Object::key).sorted().toList();
    run("s3://lake/replay", "--replay=s3://lake/replayed/dead-letter");

    int bad = generated.badLinesBySource.values().stream().mapToInt(List::size).sum();
    List<Map<String, Object>> again = new ArrayList<>();
    for (S3Object o : list("replay/dead-letter/")) {
      for (String line : new String(get(o.key()), StandardCharsets.UTF_8).split("\n")) {
        again.add(JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {}));
      }
    }
    // The stock SQL rejects them again: one attempt more, unless they could not be replayed.
    assertEquals(bad, again.size());
    assertEquals(expectedDeadLetters(), deadLetters(again));
    for (Map<String, Object> d : again) {
      assertEquals(
          d.toString(), Boolean.TRUE.equals(d.get("replayable")) ? 2 : 1, d.get("attempts"));
    }
    assertTrue(list("replay/engagements/").isEmpty());
    assertEquals(1, list("replay/_manifests/").size());
    // The replayed lake is untouched.
    assertEquals(originals, list("replayed/").stream().map(S3Object::key).sorted().toList());
  }

  @Test
  public void gzipJsonLinesAreWrittenCompressed() throws Exception {
    run("s3://lake/gz", "--compression=gzip");
    List<S3Object> objects = list("gz/engagements/");
    assertTrue(objects.size() > 0);
    int lines = 0;
    Set<Map<String, Object>> engagements = new HashSet<>();
    for (S3Object o : objects) {
      assertTrue(o.key(), o.key().endsWith(".json.gz"));
      try (var in =
          new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(get(o.key())))) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          Map<String, Object> e =
              JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {});
          e.remove("event_id");
          engagements.add(e);
          lines++;
        }
      }
    }
    assertEquals(generated.expectedEngagements.size(), lines);
    assertEquals(generated.expectedEngagements, engagements);
  }

  @Test
  public void aRunOnTheSamplesWritesTheGoldenOutputsAndRemovesItsProbe() throws Exception {
    List<String> args = new ArrayList<>();
    GoldenOutputs.sampleArgs(Path.of("unused")).stream()
        .filter(a -> !a.startsWith("--output="))
        .forEach(args::add);
    args.add("--output=s3://lake/samples");
    args.add("--s3Endpoint=" + S3.endpoint());
    Map.Entry<Integer, String> run = CliRun.of(args.toArray(new String[0]));
    assertEquals(run.getValue(), 0, (int) run.getKey());

    // The start-up check's probe object is gone: the run left only its layout.
    List<String> keys = list("samples/").stream().map(S3Object::key).toList();
    assertEquals(1, keys.stream().filter(k -> k.startsWith("samples/_manifests/")).count());
    for (String key : keys) {
      assertThat(key, not(containsString(".customer360-write-check-")));
      assertThat(
          key,
          org.hamcrest.Matchers.matchesPattern(
              "samples/(_manifests|engagements|profiles|dead-letter|conflicts)/.*"));
    }
    Path samples = download("samples/");
    for (String name : GoldenOutputs.OUTPUTS) {
      assertEquals(
          name,
          Files.readAllLines(GoldenOutputs.golden(name)),
          GoldenOutputs.canonical(samples, name));
    }
  }

  /** The objects below {@code prefix} as files in a new local directory, by their keys. */
  private static Path download(String prefix) throws Exception {
    Path dir = TMP.newFolder().toPath();
    for (S3Object o : list(prefix)) {
      Path file = dir.resolve(o.key().substring(prefix.length()));
      Files.createDirectories(file.getParent());
      Files.write(file, get(o.key()));
    }
    return dir;
  }

  /** Source and payload of each bad line the generator wrote, with how many times it occurs. */
  private static Map<String, Integer> expectedDeadLetters() {
    Map<String, Integer> expected = new HashMap<>();
    generated.badLinesBySource.forEach(
        (source, lines) ->
            lines.forEach(
                line ->
                    expected.merge(
                        source
                            + " "
                            + DeadLetter.of(DeadLetter.Stage.PARSE, "", "", line).payload(),
                        1,
                        Integer::sum)));
    return expected;
  }

  private static Map<String, Integer> deadLetters(List<Map<String, Object>> read) {
    Map<String, Integer> found = new HashMap<>();
    for (Map<String, Object> d : read) {
      found.merge(d.get("source") + " " + d.get("payload"), 1, Integer::sum);
    }
    return found;
  }

  /** Parquet profiles below {@code prefix}, keyed and summed as {@link Expected#profiles}. */
  private static Map<String, Map<String, Object>> parquetProfiles(String prefix) throws Exception {
    Map<String, Map<String, Object>> profiles = new HashMap<>();
    Path local = download(prefix);
    List<Path> files;
    try (var walk = Files.walk(local)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertTrue(prefix, !files.isEmpty());
    for (Path file : files) {
      for (GenericRecord r : ParquetLines.read(file)) {
        assertEquals(Boolean.TRUE, r.get("final"));
        Map<String, Object> sums = new HashMap<>();
        for (String field : Expected.PROFILE_SUMS) {
          sums.put(field, ((Number) r.get(field)).longValue());
        }
        sums.put(
            "first_engagement",
            TIME.format(Instant.ofEpochMilli(millis(r.get("first_engagement")))));
        sums.put(
            "last_engagement", TIME.format(Instant.ofEpochMilli(millis(r.get("last_engagement")))));
        String key =
            r.get("user_id")
                + "|"
                + TIME.format(Instant.ofEpochMilli(millis(r.get("window_start"))));
        assertEquals("profile written twice: " + key, null, profiles.put(key, sums));
      }
    }
    return profiles;
  }

  @Test
  public void aMissingBucketIsAClearErrorNamingIt() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          Cli.run(
              new String[] {
                "--callLogInput=" + data.resolve("call_log.jsonl"),
                "--clickstreamInput=" + data.resolve("clickstream.jsonl"),
                "--output=s3://no-such-bucket/x",
                "--s3Endpoint=" + S3.endpoint()
              });
    } finally {
      System.setErr(old);
    }
    assertEquals(2, code);
    String message = err.toString(StandardCharsets.UTF_8);
    assertThat(message, containsString("Cannot write to --output=s3://no-such-bucket/x"));
    assertThat(message, containsString("check that bucket 'no-such-bucket' exists"));
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream()
        .filter(s -> s.getType() != Schema.Type.NULL)
        .findFirst()
        .orElseThrow();
  }

  private static long millis(Object value) {
    if (value instanceof Number) {
      return ((Number) value).longValue();
    }
    if (value instanceof java.time.Instant) {
      return ((java.time.Instant) value).toEpochMilli();
    }
    return ((org.joda.time.ReadableInstant) value).getMillis();
  }
}
