package dev.customer360.pipeline;

import dev.customer360.pipeline.generator.RawRecordGenerator;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a correct run outputs for generated data, computed independently of the pipeline. */
final class Expected {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** Count and sum fields a profile must have. */
  static final List<String> PROFILE_SUMS =
      List.of(
          "engagements",
          "engagement_seconds",
          "calls",
          "website_visits",
          "call_seconds",
          "website_seconds");

  private Expected() {}

  /** Generated raw records: the given seed, users, records per source and time span. */
  static RawRecordGenerator.Generated generate(
      long seed, int users, int recordsPerSource, int spanHours) {
    RawRecordGenerator.Settings settings = new RawRecordGenerator.Settings();
    settings.seed = seed;
    settings.users = users;
    settings.recordsPerSource = recordsPerSource;
    settings.spanHours = spanHours;
    return new RawRecordGenerator(settings).generate();
  }

  /**
   * Profiles keyed {@code user_id|window_start}: the {@link #PROFILE_SUMS} (as longs) and
   * first/last engagement times, summed over the distinct engagements.
   */
  static Map<String, Map<String, Object>> profiles(
      RawRecordGenerator.Generated generated, long windowMillis) {
    Map<String, Map<String, Object>> profiles = new HashMap<>();
    for (Map<String, Object> e : generated.expectedEngagements) {
      String at = (String) e.get("engagement_datetime");
      long millis = LocalDateTime.parse(at, TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
      String windowStart =
          TIME.format(Instant.ofEpochMilli(millis - Math.floorMod(millis, windowMillis)));
      Map<String, Object> p =
          profiles.computeIfAbsent(e.get("user_id") + "|" + windowStart, k -> new HashMap<>());
      for (String field : PROFILE_SUMS) {
        p.putIfAbsent(field, 0L);
      }
      boolean call = "sales call".equals(e.get("engagement_type"));
      long seconds = ((Number) e.get("engagement_seconds")).longValue();
      add(p, "engagements", 1);
      add(p, "engagement_seconds", seconds);
      add(p, call ? "calls" : "website_visits", 1);
      add(p, call ? "call_seconds" : "website_seconds", seconds);
      p.merge("first_engagement", at, (a, b) -> ((String) a).compareTo((String) b) <= 0 ? a : b);
      p.merge("last_engagement", at, (a, b) -> ((String) a).compareTo((String) b) >= 0 ? a : b);
    }
    return profiles;
  }

  /**
   * The profiles a batch run wrote below {@code output}: one final profile per customer and window,
   * each the sums of the generator's distinct engagements (an answer the job did not compute).
   */
  static void assertProfilesAreSumsOverDistinctEvents(
      RawRecordGenerator.Generated generated, java.nio.file.Path output, long windowMillis)
      throws java.io.IOException {
    Map<String, Map<String, Object>> actual = new HashMap<>();
    for (Map<String, Object> p : readJsonLines(output.resolve("profiles"))) {
      org.junit.Assert.assertEquals(Boolean.TRUE, p.get("final"));
      Map<String, Object> sums = new HashMap<>();
      for (String field : PROFILE_SUMS) {
        sums.put(field, ((Number) p.get(field)).longValue());
      }
      sums.put("first_engagement", p.get("first_engagement"));
      sums.put("last_engagement", p.get("last_engagement"));
      org.junit.Assert.assertEquals(
          "profile written twice",
          null,
          actual.put(p.get("user_id") + "|" + p.get("window_start"), sums));
    }
    org.junit.Assert.assertEquals(profiles(generated, windowMillis), actual);
  }

  /** Every JSON-lines record in the files below {@code dir} (any partition). */
  static List<Map<String, Object>> readJsonLines(java.nio.file.Path dir)
      throws java.io.IOException {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    List<Map<String, Object>> records = new java.util.ArrayList<>();
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path file :
          (Iterable<java.nio.file.Path>)
              files.filter(java.nio.file.Files::isRegularFile).sorted()::iterator) {
        for (String line : java.nio.file.Files.readAllLines(file)) {
          records.add(
              json.readValue(
                  line,
                  new com.fasterxml.jackson.core.type.TypeReference<
                      java.util.LinkedHashMap<String, Object>>() {}));
        }
      }
    }
    return records;
  }

  private static void add(Map<String, Object> p, String field, long value) {
    p.merge(field, value, (a, b) -> (Long) a + (Long) b);
  }
}
