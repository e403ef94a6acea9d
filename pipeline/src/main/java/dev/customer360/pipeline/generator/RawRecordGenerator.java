package dev.customer360.pipeline.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Seeded generator of realistic raw feeds: many users, both sources, exact re-deliveries, hostile
 * records of every kind the pipeline must dead-letter, and out-of-order arrival. It also returns
 * what a correct run must output, so tests and benchmarks can check a run's answer.
 *
 * <p>Same settings and seed, same records, on every machine.
 */
public final class RawRecordGenerator {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to generate. */
  public static final class Settings {
    public long seed = 42;
    public int users = 200;
    public int recordsPerSource = 1000;

    /** Share of output lines that are exact re-deliveries of an earlier good line. */
    public double duplicateRate = 0.08;

    /**
     * Share of clickstream lines that re-deliver an earlier good line with other {@code
     * total_seconds_on_site}: conflicting duplicates, of which the longest delivery is kept. At
     * most one per event, so each is one conflict.
     */
    public double conflictRate = 0.02;

    /** Share of output lines that are bad records. */
    public double badRate = 0.03;

    /** Shuffle lines (true) or keep them in event-time order (false). */
    public boolean shuffle = true;

    public LocalDateTime start = LocalDateTime.of(2020, 3, 1, 0, 0);
    public int spanHours = 72;

    /** When above 0, event times span this many seconds from {@link #start} instead of hours. */
    public int spanSeconds;

    /** Include one record over 1 MiB per source (the --maxRecordBytes check). */
    public boolean oversize = true;
  }

  /** The generated lines and the answer a correct run gives. */
  public static final class Generated {
    public final Map<String, List<String>> linesBySource = new LinkedHashMap<>();

    /** Every distinct engagement, as its five DESIGN.md fields. */
    public final Set<Map<String, Object>> expectedEngagements = new HashSet<>();

    /** Every bad line, by source. */
    public final Map<String, List<String>> badLinesBySource = new LinkedHashMap<>();

    public int duplicateLines;

    /** Conflicting re-deliveries: one conflict each (see {@link Settings#conflictRate}). */
    public int conflictingLines;
  }

  private final Settings settings;
  private final Random random;
  private final List<String> users = new ArrayList<>();
  private final Set<String> keys = new HashSet<>();

  public RawRecordGenerator(Settings settings) {
    this.settings = settings;
    this.random = new Random(settings.seed);
    for (int i = 0; i < settings.users; i++) {
      users.add(uuid());
    }
  }

  public Generated generate() {
    Generated out = new Generated();
    generateSource(out, "call_log");
    generateSource(out, "clickstream");
    return out;
  }

  private void generateSource(Generated out, String source) {
    int total = settings.recordsPerSource;
    int bad = (int) Math.round(total * settings.badRate);
    int duplicates = (int) Math.round(total * settings.duplicateRate);
    boolean clicks = source.equals("clickstream");
    int conflicts = clicks ? (int) Math.round(total * settings.conflictRate) : 0;
    int good = Math.max(0, total - bad - duplicates - conflicts);
    List<String> lines = new ArrayList<>(total);
    List<String> goodLines = new ArrayList<>(good);
    List<Map<String, Object>> expected = new ArrayList<>(good);
    for (int i = 0; i < good; i++) {
      String line = clicks ? clickstream(out) : callLog(out);
      goodLines.add(line);
      expected.add(lastExpected);
    }
    lines.addAll(goodLines);
    // Re-deliveries of distinct events with other seconds, after the exact re-deliveries were
    // drawn from the originals, so each adds exactly one conflicting value.
    List<Integer> events = new ArrayList<>();
    for (int i = 0; i < goodLines.size(); i++) {
      events.add(i);
    }
    Collections.shuffle(events, random);
    for (int i = 0; i < conflicts && i < events.size(); i++) {
      int event = events.get(i);
      lines.add(conflictingRedelivery(out, goodLines.get(event), expected.get(event)));
      out.conflictingLines++;
    }
    for (int i = 0; i < duplicates && !goodLines.isEmpty(); i++) {
      lines.add(goodLines.get(random.nextInt(goodLines.size())));
    }
    out.duplicateLines += goodLines.isEmpty() ? 0 : duplicates;
    List<String> badLines = new ArrayList<>(bad);
    for (int i = 0; i < bad; i++) {
      badLines.add(badRecord(source, i));
    }
    lines.addAll(badLines);
    if (settings.shuffle) {
      Collections.shuffle(lines, random);
    }
    out.linesBySource.put(source, lines);
    out.badLinesBySource.put(source, badLines);
  }

  private String callLog(Generated out) {
    String user = users.get(random.nextInt(users.size()));
    String callId = uuid();
    LocalDateTime startTime = randomTime();
    int seconds = random.nextInt(1800);
    String xml =
        "<call_log><activity_id>"
            + Integer.toHexString(random.nextInt(4096)).toUpperCase(Locale.ROOT)
            + "</activity_id><call_id>"
            + callId
            + "</call_id><user_id>"
            + user
            + "</user_id><start_time>"
            + TIME.format(startTime)
            + "</start_time><end_time>"
            + TIME.format(startTime.plusSeconds(seconds + 30))
            + "</end_time><call_time_seconds>"
            + seconds
            + "</call_time_seconds><from_phone_number>+3727"
            + digits(7)
            + "</from_phone_number><to_phone_number>+3724"
            + digits(7)
            + "</to_phone_number><outcome>"
            + (random.nextBoolean() ? "answered" : "voicemail")
            + "</outcome><has_recording>"
            + random.nextBoolean()
            + "</has_recording></call_log>";
    expect(out, user, startTime, "sales call", callId, seconds);
    ObjectNode node = JSON.createObjectNode();
    node.put("log_datatime", TIME.format(startTime.plusSeconds(seconds + 30)));
    node.put("xml", xml);
    return write(node);
  }

  private String clickstream(Generated out) {
    String user;
    String site;
    LocalDateTime time;
    do {
      user = users.get(random.nextInt(users.size()));
      site = "site-" + random.nextInt(50);
      time = randomTime();
    } while (!keys.add("website|" + user + "|" + site + "|" + time));
    int seconds = random.nextInt(3600);
    expect(out, user, time, "website", site, seconds);
    ObjectNode node = JSON.createObjectNode();
    node.put("event_timestamp", TIME.format(time));
    node.put("user_id", user);
    node.put("site_id", site);
    node.put("pages_visited", 1 + random.nextInt(20));
    node.put("total_seconds_on_site", seconds);
    node.put("avg_percent_viewed", Math.round(random.nextDouble() * 100_000_000) / 1_000_000.0);
    return write(node);
  }

  /** The expectation {@link #expect} added last. */
  private Map<String, Object> lastExpected;

  /**
   * The clickstream {@code line} again with other seconds; the event's expectation becomes the
   * longer of the two.
   */
  private String conflictingRedelivery(
      Generated out, String line, Map<String, Object> expectation) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      int original = node.get("total_seconds_on_site").asInt();
      int other = original + 1 + random.nextInt(600);
      if (random.nextBoolean() && original > 0) {
        other = random.nextInt(original);
      }
      node.put("total_seconds_on_site", other);
      // Out of the set while its hash changes.
      out.expectedEngagements.remove(expectation);
      expectation.put("engagement_seconds", Math.max(original, other));
      out.expectedEngagements.add(expectation);
      return write(node);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void expect(
      Generated out, String user, LocalDateTime time, String type, String sourceId, int seconds) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("user_id", user);
    e.put("engagement_datetime", TIME.format(time));
    e.put("engagement_type", type);
    e.put("engagement_source_id", sourceId);
    e.put("engagement_seconds", seconds);
    out.expectedEngagements.add(e);
    lastExpected = e;
  }

  /** Bad records cycle through every kind the pipeline must reject. */
  private String badRecord(String source, int i) {
    String user = users.get(random.nextInt(users.size()));
    String time = TIME.format(randomTime());
    boolean call = source.equals("call_log");
    // A unique marker keeps every bad line distinct, so each can be found in the dead letter.
    String marker = "bad-" + source + "-" + i;
    switch (i % 10) {
      case 0:
        return "{\"broken\": \"" + marker + "\", ";
      case 1:
        return "[\"" + marker + "\", 1, 2]";
      case 2:
        return call
            ? callLogJson(marker, "<call_log><user_id>" + user + "</user_id><call_id>" + marker)
            : "{\"user_id\": \"" + user + "\", \"site_id\": \"" + marker + "\"}";
      case 3:
        return call
            ? callLogJson(marker, callXml(user, "2020-13-45 99:99:99", marker, "10"))
            : clickJson(user, "2020-02-30 10:00:00", marker, "10");
      case 4:
        return call
            ? callLogJson(marker, callXml(user, time, marker, "-42"))
            : clickJson(user, time, marker, "-42");
      case 5:
        return call
            ? callLogJson(marker, callXml(user, time, marker, "forty"))
            : clickJson(user, time, marker, "\"forty\"");
      case 6:
        return call
            ? callLogJson(
                marker,
                "<?xml version=\"1.0\"?><!DOCTYPE call_log [<!ENTITY xxe SYSTEM"
                    + " \"file:///etc/passwd\">]>"
                    + callXml("&xxe;", time, marker, "10"))
            : clickJson("", time, marker, "10");
      case 7:
        return call
            ? callLogJson(
                marker,
                "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2"
                    + " \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
                    + callXml("&lol2;", time, marker, "1"))
            : "{\"event_timestamp\": 20201116, \"user_id\": \""
                + user
                + "\", \"site_id\": \""
                + marker
                + "\", \"total_seconds_on_site\": 5}";
      case 8:
        if (i >= 10 || !settings.oversize) {
          return String.valueOf((call ? 1_000_000 : 2_000_000) + i); // JSON, but not an object
        }
        // One oversize record per source is enough, and keeps big data sets small.
        return call
            ? callLogJson(
                marker,
                callXml(user, time, marker, "10")
                    .replace("<call_log>", "<call_log><pad>" + "x".repeat(1_100_000) + "</pad>"))
            : "{\"pad\": \"" + "y".repeat(1_100_000) + "\", \"site_id\": \"" + marker + "\"}";
      default:
        return "\"" + marker + "\"";
    }
  }

  private static String callXml(String user, String time, String callId, String seconds) {
    return "<call_log><call_id>"
        + callId
        + "</call_id><user_id>"
        + user
        + "</user_id><start_time>"
        + time
        + "</start_time><call_time_seconds>"
        + seconds
        + "</call_time_seconds></call_log>";
  }

  private static String callLogJson(String marker, String xml) {
    ObjectNode node = JSON.createObjectNode();
    node.put("log_datatime", marker);
    node.put("xml", xml);
    return write(node);
  }

  private static String clickJson(String user, String time, String site, String seconds) {
    return "{\"event_timestamp\": \""
        + time
        + "\", \"user_id\": \""
        + user
        + "\", \"site_id\": \""
        + site
        + "\", \"pages_visited\": 2, \"total_seconds_on_site\": "
        + seconds
        + "}";
  }

  private LocalDateTime randomTime() {
    int span = settings.spanSeconds > 0 ? settings.spanSeconds : settings.spanHours * 3600;
    return settings.start.plusSeconds((long) random.nextInt(span));
  }

  private String uuid() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  private String digits(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(random.nextInt(10));
    }
    return s.toString();
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
