package dev.customer360.pipeline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Samples how busy and how backpressured each subtask of a Flink job's operator chains is, from the
 * REST API ({@code /jobs/<id>/vertices/<vertex>/subtasks/<n>/metrics}). Flink's {@code
 * backPressuredTimeMsPerSecond} and {@code busyTimeMsPerSecond} are each the time per second over
 * Flink's last few seconds, so the mean of samples taken every few seconds through a step is the
 * share of the step the subtask spent so (1000 = all of it).
 */
final class FlinkLoad {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String METRICS =
      "backPressuredTimeMsPerSecond,busyTimeMsPerSecond,idleTimeMsPerSecond";

  private final HttpClient http = HttpClient.newHttpClient();
  private final String rest;
  private final String job;
  private List<Vertex> vertices;
  private boolean warned;

  private record Vertex(String id, String label, int parallelism) {}

  FlinkLoad(String rest, String job) {
    this.rest = rest;
    this.job = job;
  }

  /** Adds one sample of every subtask to {@code loads} (key: operator chain and subtask). */
  void sampleInto(Map<String, OperatorLoad> loads) {
    try {
      if (vertices == null) {
        vertices = vertices();
      }
      for (Vertex v : vertices) {
        for (int subtask = 0; subtask < v.parallelism; subtask++) {
          JsonNode metrics =
              get(
                  "/jobs/"
                      + job
                      + "/vertices/"
                      + v.id
                      + "/subtasks/"
                      + subtask
                      + "/metrics?get="
                      + METRICS);
          double backPressured = Double.NaN;
          double busy = Double.NaN;
          double idle = Double.NaN;
          for (JsonNode m : metrics) {
            double value = parse(m.path("value").asText());
            switch (m.path("id").asText()) {
              case "backPressuredTimeMsPerSecond" -> backPressured = value;
              case "busyTimeMsPerSecond" -> busy = value;
              case "idleTimeMsPerSecond" -> idle = value;
              default -> {}
            }
          }
          int s = subtask;
          loads
              .computeIfAbsent(v.label + " #" + s, k -> new OperatorLoad(v.label, s))
              .add(backPressured, busy, idle);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!warned) { // once: a job that restarts answers 404 for a while
        System.err.println("no operator load from Flink at " + rest + ": " + e);
        warned = true;
      }
      vertices = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The lowest input watermark of any subtask of the job ({@code /jobs/<id>/vertices/<vertex>/
   * watermarks}), in epoch ms: the event time the slowest step has reached; {@code Long.MIN_VALUE}
   * before any step has one (Flink reports that value for a subtask without a watermark yet).
   */
  long lowestWatermark() {
    long lowest = Long.MAX_VALUE;
    try {
      if (vertices == null) {
        vertices = vertices();
      }
      for (Vertex v : vertices) {
        for (JsonNode w : get("/jobs/" + job + "/vertices/" + v.id + "/watermarks")) {
          double value = parse(w.path("value").asText());
          // Sources have no input watermark; a subtask without one yet reports Long.MIN_VALUE.
          if (!Double.isNaN(value) && value > 0) {
            lowest = Math.min(lowest, (long) value);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      vertices = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return lowest == Long.MAX_VALUE ? Long.MIN_VALUE : lowest;
  }

  private static double parse(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private List<Vertex> vertices() throws IOException, InterruptedException {
    List<Vertex> out = new ArrayList<>();
    for (JsonNode v : get("/jobs/" + job).path("vertices")) {
      out.add(
          new Vertex(
              v.path("id").asText(),
              label(v.path("name").asText()),
              v.path("parallelism").asInt()));
    }
    System.err.println("operator chains: " + out.stream().map(Vertex::label).toList());
    return out;
  }

  /**
   * A short name of an operator chain: the first three levels of each Beam step in it ({@code
   * BuildCustomer360/DeduplicateEngagements/DropSeenEventIds}), once each, in order. Beam's full
   * names run to kilobytes; Flink writes a chain that forks as {@code a -> (b, c -> d)}.
   */
  static String label(String chain) {
    Set<String> steps = new LinkedHashSet<>();
    for (String operator : chain.split(" -> |, |[()]")) {
      String name = operator.replaceFirst("^Source: ", "").trim();
      if (name.isEmpty()) {
        continue;
      }
      String[] levels = name.split("/");
      steps.add(String.join("/", Arrays.asList(levels).subList(0, Math.min(3, levels.length))));
    }
    String label = String.join(" > ", steps);
    return label.length() > 200 ? label.substring(0, 199) + "…" : label;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + rest + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** One subtask of an operator chain: the sums of its samples. */
  static final class OperatorLoad {
    final String chain;
    final int subtask;
    private double backPressured;
    private double busy;
    private double idle;
    private int samples;
    private int busySamples;

    OperatorLoad(String chain, int subtask) {
      this.chain = chain;
      this.subtask = subtask;
    }

    synchronized void add(double backPressured, double busy, double idle) {
      if (Double.isNaN(backPressured)) {
        return; // not reported yet
      }
      samples++;
      this.backPressured += backPressured;
      this.idle += Double.isNaN(idle) ? 0 : idle;
      // Flink reports busy time as NaN when its clock cannot tell (a source's legacy thread).
      if (!Double.isNaN(busy)) {
        busySamples++;
        this.busy += busy;
      }
    }

    synchronized int samples() {
      return samples;
    }

    /** Mean backpressured time, ms per second (NaN without samples). */
    synchronized double backPressured() {
      return samples == 0 ? Double.NaN : backPressured / samples;
    }

    synchronized double busy() {
      return busySamples == 0 ? Double.NaN : busy / busySamples;
    }

    synchronized double idle() {
      return samples == 0 ? Double.NaN : idle / samples;
    }
  }
}
