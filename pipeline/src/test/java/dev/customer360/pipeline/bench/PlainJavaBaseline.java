package dev.customer360.pipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.transforms.sql.Timestamps;
import dev.customer360.transforms.sql.XmlFields;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.JsonLines;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.joda.time.Instant;

/**
 * The floor cost of the job: one thread, no framework. Reads both raw files, parses JSON (and the
 * call log's XML), standardizes, drops repeated event ids, writes JSON lines; bad records are
 * counted. The benchmark compares the pipeline's throughput with this.
 *
 * <pre>PlainJavaBaseline CALL_LOG_FILE CLICKSTREAM_FILE OUTPUT_FILE</pre>
 */
public final class PlainJavaBaseline {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> CALL_PATHS =
      Map.of(
          "user_id", "//call_log/user_id",
          "start_time", "//call_log/start_time",
          "call_id", "//call_log/call_id",
          "call_time_seconds", "//call_log/call_time_seconds");

  private PlainJavaBaseline() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    Set<String> seen = new HashSet<>();
    long read = 0;
    long bad = 0;
    long written = 0;
    try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8)) {
      for (int source = 0; source < 2; source++) {
        try (BufferedReader in =
            Files.newBufferedReader(Path.of(args[source]), StandardCharsets.UTF_8)) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            read++;
            Engagement e = source == 0 ? callLog(line) : clickstream(line);
            if (e == null) {
              bad++;
            } else if (seen.add(e.eventId())) {
              out.write(JsonLines.engagement(e));
              out.write('\n');
              written++;
            }
          }
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "read %d, engagements %d, bad %d, duplicates %d in %.2f s%n",
        read, written, bad, read - bad - written, seconds);
  }

  private static Engagement callLog(String line) {
    try {
      if (line.length() > 1 << 20) {
        return null;
      }
      JsonNode json = JSON.readTree(line);
      Map<String, String> f = XmlFields.extract(json.get("xml").textValue(), CALL_PATHS);
      int seconds = Integer.parseInt(f.get("call_time_seconds"));
      if (seconds < 0 || f.get("user_id").isBlank() || f.get("call_id").isBlank()) {
        return null;
      }
      return Engagement.of(
          f.get("user_id"), time(f.get("start_time")), "sales call", f.get("call_id"), seconds);
    } catch (Exception e) {
      return null;
    }
  }

  private static Engagement clickstream(String line) {
    try {
      if (line.length() > 1 << 20) {
        return null;
      }
      JsonNode json = JSON.readTree(line);
      JsonNode seconds = json.get("total_seconds_on_site");
      if (!seconds.isIntegralNumber() || seconds.intValue() < 0) {
        return null;
      }
      String user = json.get("user_id").textValue();
      String site = json.get("site_id").textValue();
      if (user.isBlank() || site.isBlank()) {
        return null;
      }
      return Engagement.of(
          user, time(json.get("event_timestamp").textValue()), "website", site, seconds.intValue());
    } catch (Exception e) {
      return null;
    }
  }

  private static Instant time(String text) {
    LocalDateTime t = Timestamps.parse(text, Timestamps.DEFAULT_PATTERN);
    return Instant.ofEpochMilli(t.toInstant(ZoneOffset.UTC).toEpochMilli());
  }
}
