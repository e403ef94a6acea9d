package dev.customer360.pipeline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The load generator and meter of {@code bench/stream.sh}: produces raw call-log and clickstream
 * records (half each, event times now, every record a distinct engagement) at fixed rates in steps,
 * reads the job's engagements topic {@code read_committed} in the same JVM, and reports per step:
 * records/s produced, engagements/s delivered, the job's committed consumer lag and the backlog
 * (produced but not yet delivered) at the end of the step, the end-to-end latency of the step's
 * records (from the raw record's Kafka timestamp to the engagement's arrival at the consumer), and,
 * given the Flink job, how much of the step each operator chain's subtask was backpressured and
 * busy (Flink's {@code backPressuredTimeMsPerSecond} and {@code busyTimeMsPerSecond}, sampled every
 * 5 s; the most backpressured and the busiest in the CSV, every one in a second CSV beside it,
 * {@code <name>-operators.csv}). {@code --skew} spreads the records over customers evenly ({@code
 * uniform}), with one customer of 20% of events ({@code hot}) or Zipf-like with 1% of the customers
 * getting half of them ({@code zipf}): see {@link CustomerSkew}. The CSV's {@code
 * checkpoint_state_bytes} is the full state size of the latest checkpoint completed by each step's
 * end; its last two columns the job's watermark lag (processing time minus its lowest input
 * watermark, sampled every 5 s: mean and max over the step, in seconds).
 *
 * <pre>
 * StreamBench BOOTSTRAP --group=G --csv=FILE [--rates=500,1000,2000,4000] [--stepSeconds=60]
 *   [--checkpointSeconds=10] [--drainSeconds=90] [--users=20000] [--skew=uniform|hot|zipf]
 *   [--engagementsTopic=T] [--flinkRest=HOST:PORT --job=JOB_ID] [--taskManagerPid=PID]
 *   [--jdbcUrl=URL]
 * </pre>
 *
 * <p>With {@code --jdbcUrl} (the job writes PostgreSQL too), the latency to each engagement's row
 * as well ({@link PostgresLatency}), in a third CSV, {@code <name>-postgres.csv}.
 *
 * <p>An engagement is traced back to its raw record by user id, engagement time and source id (the
 * call id, or the site id): the generator makes that triple unique over the run, whatever the skew.
 */
public final class StreamBench {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  // A customer's clicks go to its sites in turn: (customer, site, second) stays unique while no
  // customer clicks more than SITES times a second (the hot customer at 10,000 records/s: 1,000).
  private static final int SITES = 10_000;
  private static final long SAMPLE_EVERY_MS = 5_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private StreamBench() {}

  /** One rate step: what was produced, delivered and measured while it ran. */
  private static final class Step {
    final int rate;
    long startMs;
    long endMs;
    long produced;
    long backlogStart;
    long backlogEnd;
    long committedLagEnd = -1;
    long checkpointMaxMs = -1;
    long checkpointsFailed;
    // The latest completed checkpoint at the step's end: its full state size and trigger time.
    long checkpointStateBytes = -1;
    long checkpointTriggeredMs = -1;
    long taskManagerRssMb = -1;
    final AtomicLong deliveredDuring = new AtomicLong();
    // Operator chain and subtask -> Flink's load figures sampled during the step.
    final Map<String, FlinkLoad.OperatorLoad> operators = new ConcurrentHashMap<>();
    // Latencies of this step's records, appended by the consumer thread.
    final List<Long> endToEndMs = new ArrayList<>();
    final List<Long> writeMs = new ArrayList<>();
    // Sampled processing time minus the job's lowest watermark, ms.
    final List<Long> watermarkLagMs = new ArrayList<>();

    Step(int rate) {
      this.rate = rate;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args[0].startsWith("--")) {
      usage("give the Kafka bootstrap servers first");
    }
    Map<String, String> a = new HashMap<>();
    for (String arg : Arrays.asList(args).subList(1, args.length)) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      if (kv.length != 2) {
        usage("arguments are --name=value: " + arg);
      }
      a.put(kv[0], kv[1]);
    }
    String bootstrap = args[0];
    String group = required(a, "group");
    Path csv = Path.of(required(a, "csv"));
    List<Step> steps =
        Arrays.stream(a.getOrDefault("rates", "500,1000,2000,4000").split(","))
            .map(r -> new Step(Integer.parseInt(r.trim())))
            .collect(Collectors.toList());
    int stepSeconds = Integer.parseInt(a.getOrDefault("stepSeconds", "60"));
    int checkpointSeconds = Integer.parseInt(a.getOrDefault("checkpointSeconds", "10"));
    int drainSeconds = Integer.parseInt(a.getOrDefault("drainSeconds", "90"));
    int users = Integer.parseInt(a.getOrDefault("users", "20000"));
    CustomerSkew skew = null;
    try {
      skew = CustomerSkew.of(a.getOrDefault("skew", "uniform"), users);
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
    }
    int[] clicks = new int[users];
    String engagementsTopic = a.getOrDefault("engagementsTopic", "customer_engagements");
    String flinkRest = a.get("flinkRest");
    String job = a.get("job");
    String tmPid = a.get("taskManagerPid");
    String jdbcUrl = a.get("jdbcUrl");
    // With PostgreSQL as a sink too: every raw record key -> the producer's timestamp, kept.
    Map<String, Long> sentAt = new ConcurrentHashMap<>();

    // Raw record key (user|time|source id) -> the producer's timestamp; removed when delivered.
    Map<String, Long> inFlight = new ConcurrentHashMap<>();
    AtomicLong producedTotal = new AtomicLong();
    // Records produced and engagements delivered by a time (ms, sampled every 100 ms): how much
    // the latest checkpoint had seen.
    NavigableMap<Long, long[]> producedBy = new ConcurrentSkipListMap<>();
    AtomicLong deliveredTotal = new AtomicLong();
    AtomicLong unmatched = new AtomicLong();
    AtomicLong sendErrors = new AtomicLong();
    AtomicReference<Step> current = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> consumerFailure = new AtomicReference<>();

    Thread consumer =
        new Thread(
            () -> {
              try {
                consume(
                    bootstrap,
                    engagementsTopic,
                    stop,
                    inFlight,
                    steps,
                    current,
                    deliveredTotal,
                    unmatched);
              } catch (Throwable t) {
                consumerFailure.set(t);
              }
            },
            "engagements-reader");
    consumer.setDaemon(true);
    consumer.start();
    Thread sampler = null;
    if (flinkRest != null && job != null) {
      FlinkLoad load = new FlinkLoad(flinkRest, job);
      sampler =
          new Thread(
              () -> {
                while (!stop.get()) {
                  Step during = current.get();
                  if (during != null) {
                    load.sampleInto(during.operators);
                    long watermark = load.lowestWatermark();
                    if (watermark != Long.MIN_VALUE) {
                      synchronized (during) {
                        during.watermarkLagMs.add(System.currentTimeMillis() - watermark);
                      }
                    }
                  }
                  try {
                    Thread.sleep(SAMPLE_EVERY_MS);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "flink-load-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }
    System.err.printf(
        "skew %s: the top customer gets %.1f%% of the events, the top 1%% of customers %.1f%%%n",
        skew.kind, 100 * skew.shareOfTop(1), 100 * skew.shareOfTop(Math.max(1, users / 100)));

    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    Properties ap = new Properties();
    ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    long seq = 0;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p);
        Admin admin = Admin.create(ap)) {
      for (Step step : steps) {
        step.backlogStart = producedTotal.get() - deliveredTotal.get();
        step.startMs = System.currentTimeMillis();
        current.set(step);
        long startNanos = System.nanoTime();
        long stepNanos = Duration.ofSeconds(stepSeconds).toNanos();
        long elapsed;
        System.err.printf("step %d records/s for %d s%n", step.rate, stepSeconds);
        while ((elapsed = System.nanoTime() - startNanos) < stepNanos) {
          // Catch up to rate x elapsed time: a fixed rate, whatever the send calls cost.
          long due = step.rate * elapsed / 1_000_000_000L;
          while (step.produced < due) {
            long now = System.currentTimeMillis();
            boolean call = (seq & 1) == 1;
            long i = seq >> 1;
            int customer = skew.customerOf(i);
            String user = "bench-user-" + customer;
            String value;
            String key;
            if (call) {
              int seconds = 10 + (int) (i % 300);
              String start = SECONDS.format(Instant.ofEpochMilli(now - seconds * 1000L));
              String end = SECONDS.format(Instant.ofEpochMilli(now));
              String callId = "bench-call-" + i;
              value = callLog(user, callId, start, end, seconds);
              key = user + "|" + start + "|" + callId;
            } else {
              String site = "site-" + clicks[customer]++ % SITES;
              String time = SECONDS.format(Instant.ofEpochMilli(now));
              value = clickstream(user, site, time, 30 + (int) (i % 3000));
              key = user + "|" + time + "|" + site;
            }
            inFlight.put(key, now);
            if (jdbcUrl != null) {
              sentAt.put(key, now);
            }
            producer.send(
                new ProducerRecord<>(call ? "call_log" : "clickstream", null, now, null, value),
                (metadata, e) -> {
                  if (e != null) {
                    sendErrors.incrementAndGet();
                  }
                });
            seq++;
            step.produced++;
            producedTotal.incrementAndGet();
          }
          long now = System.currentTimeMillis();
          if (producedBy.isEmpty() || now - producedBy.lastKey() >= 100) {
            producedBy.put(now, new long[] {producedTotal.get(), deliveredTotal.get()});
          }
          Thread.sleep(2);
        }
        producer.flush();
        step.endMs = System.currentTimeMillis();
        step.backlogEnd = producedTotal.get() - deliveredTotal.get();
        try {
          step.committedLagEnd = KafkaTool.lag(admin, group, List.of("call_log", "clickstream"));
        } catch (Exception e) {
          System.err.println("no committed lag for step " + step.rate + ": " + e);
        }
        if (flinkRest != null && job != null) {
          try {
            JsonNode stats = checkpointsOf(flinkRest, job);
            checkpoints(stats, step);
            latestCheckpoint(stats, step, producedBy);
          } catch (IOException | InterruptedException e) {
            System.err.println("no checkpoint figures from Flink at " + flinkRest + ": " + e);
          }
        }
        if (tmPid != null) {
          step.taskManagerRssMb = rssMb(tmPid);
        }
        System.err.printf(
            "  produced %d, backlog %d, committed lag %d%n",
            step.produced, step.backlogEnd, step.committedLagEnd);
      }
      current.set(null);
      long drainUntil = System.currentTimeMillis() + drainSeconds * 1000L;
      while (!inFlight.isEmpty() && System.currentTimeMillis() < drainUntil) {
        Thread.sleep(200);
      }
    }
    stop.set(true);
    consumer.join(10_000);
    if (sampler != null) {
      sampler.interrupt();
    }
    if (consumerFailure.get() != null) {
      throw new IllegalStateException(
          "reading " + engagementsTopic + " failed", consumerFailure.get());
    }
    report(steps, inFlight, csv, skew.kind, checkpointSeconds, sendErrors.get(), unmatched.get());
    if (jdbcUrl != null) {
      List<PostgresLatency.Span> spans = new ArrayList<>();
      steps.forEach(st -> spans.add(new PostgresLatency.Span(st.rate, st.startMs, st.endMs)));
      PostgresLatency.report(
          jdbcUrl,
          sentAt,
          spans,
          drainSeconds,
          csv.resolveSibling(
              csv.getFileName().toString().replaceFirst("\\.csv$", "") + "-postgres.csv"));
    }
  }

  private static String callLog(String user, String callId, String start, String end, int secs) {
    return "{\"log_datatime\":\""
        + end
        + "\",\"xml\":\"<call_log><activity_id>B1</activity_id><call_id>"
        + callId
        + "</call_id><user_id>"
        + user
        + "</user_id><start_time>"
        + start
        + "</start_time><end_time>"
        + end
        + "</end_time><call_time_seconds>"
        + secs
        + "</call_time_seconds><from_phone_number>+37270000001</from_phone_number>"
        + "<to_phone_number>+37240000002</to_phone_number><outcome>answered</outcome>"
        + "<has_recording>false</has_recording></call_log>\"}";
  }

  private static String clickstream(String user, String site, String time, int seconds) {
    return String.format(
        Locale.ROOT,
        "{\"event_timestamp\":\"%s\",\"user_id\":\"%s\",\"site_id\":\"%s\",\"pages_visited\":%d,"
            + "\"total_seconds_on_site\":%d,\"avg_percent_viewed\":%.1f}",
        time,
        user,
        site,
        1 + seconds % 20,
        seconds,
        (seconds % 100) * 1.0);
  }

  /** Reads the engagements read_committed from the start and matches each to its raw record. */
  private static void consume(
      String bootstrap,
      String topic,
      AtomicBoolean stop,
      Map<String, Long> inFlight,
      List<Step> steps,
      AtomicReference<Step> current,
      AtomicLong deliveredTotal,
      AtomicLong unmatched)
      throws IOException {
    Properties p = KafkaTool.committedReader(bootstrap, "stream-bench-");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      while (!stop.get()) {
        var records = consumer.poll(Duration.ofMillis(100));
        long arrived = System.currentTimeMillis();
        Step during = current.get();
        for (ConsumerRecord<String, String> r : records) {
          JsonNode e = JSON.readTree(r.value());
          String key =
              e.path("user_id").asText()
                  + "|"
                  + e.path("engagement_datetime").asText()
                  + "|"
                  + e.path("engagement_source_id").asText();
          Long sent = inFlight.remove(key);
          if (sent == null) {
            // A second delivery, a correction, or a record not produced by this run.
            unmatched.incrementAndGet();
            continue;
          }
          deliveredTotal.incrementAndGet();
          if (during != null) {
            during.deliveredDuring.incrementAndGet();
          }
          Step of = stepOf(steps, sent);
          if (of != null) {
            synchronized (of) {
              of.endToEndMs.add(arrived - sent);
              of.writeMs.add(r.timestamp() - sent);
            }
          }
        }
      }
    }
  }

  private static Step stepOf(List<Step> steps, long sentMs) {
    for (Step s : steps) {
      if (sentMs >= s.startMs && (s.endMs == 0 || sentMs <= s.endMs)) {
        return s;
      }
    }
    return null;
  }

  /** Flink's checkpoint statistics of the job ({@code /jobs/<id>/checkpoints}). */
  private static JsonNode checkpointsOf(String rest, String job)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://" + rest + "/jobs/" + job + "/checkpoints"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** The longest completed checkpoint triggered during the step, and the failed ones. */
  private static void checkpoints(JsonNode stats, Step step) {
    long max = -1;
    long failed = 0;
    for (JsonNode c : stats.path("history")) {
      long triggered = c.path("trigger_timestamp").asLong();
      if (triggered < step.startMs || triggered > step.endMs) {
        continue;
      }
      if (c.path("status").asText().equals("COMPLETED")) {
        max = Math.max(max, c.path("end_to_end_duration").asLong());
      } else if (c.path("status").asText().equals("FAILED")) {
        failed++;
      }
    }
    step.checkpointMaxMs = max;
    step.checkpointsFailed = failed;
  }

  /**
   * The full state size of the latest completed checkpoint (Flink's {@code state_size}, {@code
   * checkpointed_size} if that is missing), and how many records had been produced and how many
   * engagements delivered when it was triggered: its state is about that of the delivered ones.
   */
  private static void latestCheckpoint(
      JsonNode stats, Step step, NavigableMap<Long, long[]> producedBy) {
    JsonNode latest = stats.path("latest").path("completed");
    if (latest.isMissingNode() || latest.isNull()) {
      return;
    }
    JsonNode size = latest.path("state_size");
    step.checkpointStateBytes =
        (size.isMissingNode() ? latest.path("checkpointed_size") : size).asLong(-1);
    step.checkpointTriggeredMs = latest.path("trigger_timestamp").asLong(-1);
    Map.Entry<Long, long[]> by = producedBy.floorEntry(step.checkpointTriggeredMs);
    System.err.printf(
        "  latest checkpoint #%d: state %d bytes; triggered %.1f s before the step's end,"
            + " by then %d records produced, %d engagements delivered%n",
        latest.path("id").asLong(),
        step.checkpointStateBytes,
        (step.endMs - step.checkpointTriggeredMs) / 1000.0,
        by == null ? 0 : by.getValue()[0],
        by == null ? 0 : by.getValue()[1]);
  }

  private static long rssMb(String pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      System.err.println("no RSS for process " + pid + ": " + e);
    }
    return -1;
  }

  static long percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
  }

  private static void report(
      List<Step> steps,
      Map<String, Long> undelivered,
      Path csv,
      CustomerSkew.Kind skew,
      int checkpointSeconds,
      long sendErrors,
      long unmatched)
      throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(
        "target_rate,produced_per_s,delivered_per_s,backlog_start,backlog_end,committed_lag_end,"
            + "sustained,e2e_p50_ms,e2e_p95_ms,e2e_p99_ms,e2e_max_ms,write_p50_ms,write_p99_ms,"
            + "undelivered,checkpoint_max_ms,checkpoints_failed,taskmanager_rss_mb,skew,"
            + "backpressured_max_ms_per_s,backpressured_operator,busy_max_ms_per_s,busy_operator,"
            + "checkpoint_state_bytes,watermark_lag_mean_s,watermark_lag_max_s");
    List<String> operatorLines = new ArrayList<>();
    operatorLines.add(
        "target_rate,skew,operator,subtask,samples,backpressured_ms_per_s,busy_ms_per_s,"
            + "idle_ms_per_s");
    List<String> loadLines = new ArrayList<>();
    System.out.printf(
        "%7s %9s %10s %8s %9s %5s %7s %7s %7s %8s %8s %6s %7s %6s %7s %7s %8s %8s%n",
        "rate",
        "produced/s",
        "delivered/s",
        "backlog",
        "com.lag",
        "kept?",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "write p99",
        "undeliv.",
        "ckpt ms",
        "ckpt fail",
        "TM MB",
        "bp max",
        "busy max",
        "state MB",
        "wm lag s");
    for (Step s : steps) {
      double seconds = (s.endMs - s.startMs) / 1000.0;
      long stillOut =
          undelivered.values().stream().filter(t -> t >= s.startMs && t <= s.endMs).count();
      List<Long> e2e;
      List<Long> write;
      List<Long> watermarkLag;
      synchronized (s) {
        e2e = new ArrayList<>(s.endToEndMs);
        write = new ArrayList<>(s.writeMs);
        watermarkLag = new ArrayList<>(s.watermarkLagMs);
      }
      // The job's watermark trails event time by --maxOutOfOrderness by design: reported as it
      // is, in seconds; what the step adds shows as a rise over the steps before.
      java.util.LongSummaryStatistics lag =
          watermarkLag.stream().mapToLong(Long::longValue).summaryStatistics();
      String watermarkLagMean =
          lag.getCount() == 0 ? "" : String.format(Locale.ROOT, "%.1f", lag.getAverage() / 1000.0);
      String watermarkLagMax =
          lag.getCount() == 0 ? "" : String.format(Locale.ROOT, "%.1f", lag.getMax() / 1000.0);
      e2e.sort(null);
      write.sort(null);
      // Bounded: at the step's end, no more in flight than the step's rate for a checkpoint
      // interval plus 5 s (an exactly-once sink publishes only when a checkpoint completes).
      boolean sustained = s.backlogEnd <= (long) s.rate * (checkpointSeconds + 5) && stillOut == 0;
      double produced = s.produced / seconds;
      double delivered = s.deliveredDuring.get() / seconds;
      List<FlinkLoad.OperatorLoad> loads =
          s.operators.values().stream().filter(o -> o.samples() > 0).collect(Collectors.toList());
      FlinkLoad.OperatorLoad mostBackPressured =
          loads.stream()
              .max(java.util.Comparator.comparingDouble(FlinkLoad.OperatorLoad::backPressured))
              .orElse(null);
      FlinkLoad.OperatorLoad busiest =
          loads.stream()
              .filter(o -> !Double.isNaN(o.busy()))
              .max(java.util.Comparator.comparingDouble(FlinkLoad.OperatorLoad::busy))
              .orElse(null);
      for (FlinkLoad.OperatorLoad o : loads) {
        operatorLines.add(
            String.format(
                Locale.ROOT,
                "%d,%s,%s,%d,%d,%.0f,%.0f,%.0f",
                s.rate,
                skew,
                csvText(o.chain),
                o.subtask,
                o.samples(),
                o.backPressured(),
                o.busy(),
                o.idle()));
      }
      if (mostBackPressured != null) {
        loadLines.add(
            String.format(
                Locale.ROOT,
                "%d/s: most backpressured %.0f ms/s: %s #%d; busiest %s",
                s.rate,
                mostBackPressured.backPressured(),
                mostBackPressured.chain,
                mostBackPressured.subtask,
                busiest == null
                    ? "unknown"
                    : String.format(
                        Locale.ROOT,
                        "%.0f ms/s: %s #%d",
                        busiest.busy(),
                        busiest.chain,
                        busiest.subtask)));
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "%d,%.0f,%.0f,%d,%d,%d,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%s,%s,%s,%s,%s,%d,%s,%s",
              s.rate,
              produced,
              delivered,
              s.backlogStart,
              s.backlogEnd,
              s.committedLagEnd,
              sustained ? "yes" : "no",
              percentile(e2e, 0.50),
              percentile(e2e, 0.95),
              percentile(e2e, 0.99),
              e2e.isEmpty() ? -1 : e2e.get(e2e.size() - 1),
              percentile(write, 0.50),
              percentile(write, 0.99),
              stillOut,
              s.checkpointMaxMs,
              s.checkpointsFailed,
              s.taskManagerRssMb,
              skew,
              msPerSecond(
                  mostBackPressured == null ? Double.NaN : mostBackPressured.backPressured()),
              mostBackPressured == null
                  ? ""
                  : csvText(mostBackPressured.chain + " #" + mostBackPressured.subtask),
              msPerSecond(busiest == null ? Double.NaN : busiest.busy()),
              busiest == null ? "" : csvText(busiest.chain + " #" + busiest.subtask),
              s.checkpointStateBytes,
              watermarkLagMean,
              watermarkLagMax));
      System.out.printf(
          Locale.ROOT,
          "%7d %9.0f %10.0f %8d %9d %5s %7d %7d %7d %8d %8d %6d %7d %6d %7s %7s %8s %8s%n",
          s.rate,
          produced,
          delivered,
          s.backlogEnd,
          s.committedLagEnd,
          sustained ? "yes" : "no",
          percentile(e2e, 0.50),
          percentile(e2e, 0.95),
          percentile(e2e, 0.99),
          percentile(write, 0.99),
          stillOut,
          s.checkpointMaxMs,
          s.checkpointsFailed,
          s.taskManagerRssMb,
          msPerSecond(mostBackPressured == null ? Double.NaN : mostBackPressured.backPressured()),
          msPerSecond(busiest == null ? Double.NaN : busiest.busy()),
          s.checkpointStateBytes < 0
              ? ""
              : String.format(Locale.ROOT, "%.1f", s.checkpointStateBytes / 1e6),
          watermarkLagMean);
    }
    loadLines.forEach(System.out::println);
    Files.createDirectories(csv.toAbsolutePath().getParent());
    Files.write(csv, lines, StandardCharsets.UTF_8);
    if (operatorLines.size() > 1) {
      Path operatorsCsv =
          csv.resolveSibling(
              csv.getFileName().toString().replaceFirst("\\.csv$", "") + "-operators.csv");
      Files.write(operatorsCsv, operatorLines, StandardCharsets.UTF_8);
      System.out.println("per operator chain and subtask: " + operatorsCsv);
    }
    System.out.printf(
        "send errors %d; engagements not from this run or delivered twice %d%n",
        sendErrors, unmatched);
  }

  private static String msPerSecond(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.0f", value);
  }

  private static String csvText(String text) {
    return "\"" + text.replace("\"", "\"\"") + "\"";
  }

  private static String required(Map<String, String> a, String name) {
    String v = a.get(name);
    if (v == null) {
      usage("--" + name + " is required");
    }
    return v;
  }

  private static void usage(String why) {
    System.err.println(
        why
            + "\nusage: StreamBench BOOTSTRAP --group=G --csv=FILE [--rates=500,1000,2000,4000]"
            + " [--stepSeconds=60] [--checkpointSeconds=10] [--drainSeconds=90] [--users=20000]"
            + " [--skew=uniform|hot|zipf]"
            + " [--engagementsTopic=T] [--flinkRest=HOST:PORT --job=JOB_ID]"
            + " [--taskManagerPid=PID]");
    System.exit(2);
  }
}
