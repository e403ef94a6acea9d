package dev.customer360.pipeline;

import dev.customer360.io.files.ObjectStorage;
import dev.customer360.io.files.ReadDeadLetters;
import dev.customer360.io.files.ReadJsonLines;
import dev.customer360.io.kafka.KafkaCluster;
import dev.customer360.transforms.ReplayDeadLetters;
import dev.customer360.transforms.SourceDefinition;
import dev.customer360.transforms.StandardizeSource;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.JsonLines;
import dev.customer360.transforms.values.RawRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code --preview[=N]}: standardizes the first N records of each source (files or Kafka) on the
 * DirectRunner, in this process, and prints the engagements and the dead letters with their reasons
 * as tables. Nothing is written to any sink and no Kafka offset is committed. Building the preview
 * plans each source's SQL, so a SQL error is reported with its file, line and column.
 */
final class Preview {
  /** Column width cap, so one long value does not push the table off the screen. */
  private static final int MAX_CELL = 48;

  /** What the preview pipeline's DoFns hand back to this process, per preview run. */
  private static final Map<String, Queue<Object>> COLLECTED = new ConcurrentHashMap<>();

  private Preview() {}

  static void run(
      Customer360Options options, List<SourceDefinition> sources, int n, PrintStream out) {
    ObjectStorage.register(options);
    boolean fromKafka = Customer360Pipeline.fromKafka(options);
    Map<SourceDefinition, List<String>> samples = new java.util.LinkedHashMap<>();
    Map<SourceDefinition, String> origins = new HashMap<>();
    if (Customer360Pipeline.isReplay(options)) {
      if (!Customer360Pipeline.replaysFiles(options)) {
        throw new IllegalArgumentException(
            "--preview with --replay="
                + options.getReplay()
                + ": the preview reads dead-letter files only; preview the replay of a run's"
                + " <output>/dead-letter, or run the replay into a fresh --output and look there");
      }
      samples.putAll(replayed(options.getReplay(), sources, n));
      sources.forEach(source -> origins.put(source, "the dead letters in " + options.getReplay()));
    } else if (fromKafka) {
      KafkaCluster kafka = KafkaCluster.from(options);
      Map<SourceDefinition, String> topics = SourceInputs.topics(options, sources);
      kafka.checkReachable(topics.values(), SourceInputs.TOPIC_FLAGS);
      topics.forEach(
          (source, topic) -> {
            samples.put(source, firstRecords(kafka, topic, n));
            origins.put(source, "topic " + topic);
          });
    } else {
      SourceInputs.files(options, sources)
          .forEach(
              (source, input) -> {
                samples.put(source, firstLines(input.flag, input.value, n));
                origins.put(source, input.value);
              });
    }

    String run = UUID.randomUUID().toString();
    COLLECTED.put(run, new ConcurrentLinkedQueue<>());
    try {
      PipelineOptions local = PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create();
      Pipeline pipeline = Pipeline.create(local);
      for (SourceDefinition source : sources) {
        String step = source.name();
        PCollectionTuple standardized =
            pipeline
                .apply(
                    "Sample " + step,
                    Create.of(samples.get(source)).withCoder(StringUtf8Coder.of()))
                // A preview names its records by their number in the sample, not their origin.
                .apply("Records " + step, RawRecord.ofLines())
                .apply("Standardize " + step, Customer360Pipeline.standardization(options, source));
        standardized
            .get(StandardizeSource.ENGAGEMENTS)
            .apply("Collect engagements " + step, ParDo.of(new CollectFn<>(run, source.name())));
        standardized
            .get(StandardizeSource.DEAD_LETTERS)
            .apply("Collect dead letters " + step, ParDo.of(new CollectFn<>(run, source.name())));
      }
      pipeline.run().waitUntilFinish();
      print(sources, samples, origins, COLLECTED.get(run), n, out);
    } finally {
      COLLECTED.remove(run);
    }
  }

  /** Hands each element back to the preview, tagged with its source. */
  static final class CollectFn<T> extends DoFn<T, Void> {
    private final String run;
    private final String source;

    CollectFn(String run, String source) {
      this.run = run;
      this.source = source;
    }

    @ProcessElement
    public void process(@Element T element) {
      COLLECTED.get(run).add(new Object[] {source, element});
    }
  }

  private static void print(
      List<SourceDefinition> sources,
      Map<SourceDefinition, List<String>> samples,
      Map<SourceDefinition, String> origins,
      Queue<Object> collected,
      int n,
      PrintStream out) {
    out.printf(
        "Preview: the first %d records of each source, standardized; nothing was written.%n", n);
    for (SourceDefinition source : sources) {
      List<Engagement> engagements = new ArrayList<>();
      List<DeadLetter> deadLetters = new ArrayList<>();
      for (Object o : collected) {
        Object[] tagged = (Object[]) o;
        if (tagged[0].equals(source.name())) {
          if (tagged[1] instanceof Engagement) {
            engagements.add((Engagement) tagged[1]);
          } else {
            deadLetters.add((DeadLetter) tagged[1]);
          }
        }
      }
      List<String> lines = samples.get(source);
      out.printf(
          "%n== %s: %d records from %s -> %d engagements, %d dead letters%n",
          source.name(), lines.size(), origins.get(source), engagements.size(), deadLetters.size());
      if (!engagements.isEmpty()) {
        engagements.sort(
            Comparator.comparing(Engagement::engagementDatetime).thenComparing(Engagement::userId));
        List<List<String>> rows = new ArrayList<>();
        rows.add(
            List.of(
                "user_id",
                "engagement_datetime",
                "engagement_type",
                "engagement_source_id",
                "engagement_seconds",
                "event_id"));
        for (Engagement e : engagements) {
          rows.add(
              List.of(
                  e.userId(),
                  JsonLines.formatDatetime(e.engagementDatetime()),
                  e.engagementType(),
                  e.engagementSourceId(),
                  String.valueOf(e.engagementSeconds()),
                  e.eventId()));
        }
        table(rows, out);
      }
      if (!deadLetters.isEmpty()) {
        out.println("dead letters:");
        Map<String, Integer> lineOf = new HashMap<>();
        for (int i = lines.size() - 1; i >= 0; i--) {
          lineOf.put(lines.get(i), i + 1);
        }
        deadLetters.sort(
            Comparator.comparing(d -> lineOf.getOrDefault(d.payload(), Integer.MAX_VALUE)));
        for (DeadLetter d : deadLetters) {
          // The reason is what the user acts on: print it whole; the payload only as a reminder.
          Integer line = lineOf.get(d.payload());
          out.printf("  %-5s %s%n", line == null ? "?" : "#" + line, d.error());
          out.printf("  %-5s payload: %s%n", "", cut(d.payload(), 2 * MAX_CELL));
        }
      }
    }
  }

  /** Prints rows as aligned columns; the last column is not padded. */
  private static void table(List<List<String>> rows, PrintStream out) {
    int columns = rows.get(0).size();
    int[] width = new int[columns];
    List<List<String>> cells =
        rows.stream()
            .map(r -> r.stream().map(Preview::cell).collect(Collectors.toList()))
            .collect(Collectors.toList());
    for (List<String> row : cells) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    for (List<String> row : cells) {
      StringBuilder s = new StringBuilder("  ");
      for (int c = 0; c < columns; c++) {
        String value = row.get(c);
        s.append(c == columns - 1 ? value : String.format("%-" + width[c] + "s  ", value));
      }
      out.println(s.toString().stripTrailing());
    }
  }

  private static String cell(String value) {
    return cut(value, MAX_CELL);
  }

  private static String cut(String value, int max) {
    String v = value == null ? "" : value.replaceAll("\\s+", " ");
    return v.length() <= max ? v : v.substring(0, max - 3) + "...";
  }

  /**
   * What a replay would send through each source's standardization: the raw records of the first
   * {@code n} replayable dead letters of each source, from the dead-letter JSON-lines files below
   * {@code location} (late and rejected engagements go to dedup, not shown here).
   */
  static Map<SourceDefinition, List<String>> replayed(
      String location, List<SourceDefinition> sources, int n) {
    List<String> globs = ReadDeadLetters.checkHoldsFiles("--replay", location);
    Map<String, List<String>> byName = new HashMap<>();
    sources.forEach(source -> byName.put(source.name(), new ArrayList<>()));
    try {
      for (String glob : globs) {
        List<MatchResult.Metadata> files = new ArrayList<>(FileSystems.match(glob).metadata());
        files.sort(Comparator.comparing(m -> m.resourceId().toString()));
        for (MatchResult.Metadata file : files) {
          if (!file.resourceId().getFilename().endsWith(".parquet")) {
            addRawRecords(file, byName, n);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--replay=" + location + " cannot be read (" + e.getMessage() + "); check the path", e);
    }
    Map<SourceDefinition, List<String>> samples = new java.util.LinkedHashMap<>();
    sources.forEach(source -> samples.put(source, byName.get(source.name())));
    return samples;
  }

  private static void addRawRecords(
      MatchResult.Metadata file, Map<String, List<String>> byName, int n) throws IOException {
    try (BufferedReader reader = lines(file)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        DeadLetter d;
        try {
          d = JsonLines.deadLetterOf(line);
        } catch (IllegalArgumentException notADeadLetter) {
          continue; // the replay itself reports it, naming the file and line
        }
        List<String> records = byName.get(d.source());
        if (records != null && records.size() < n && ReplayDeadLetters.isRawRecord(d)) {
          records.add(d.payload());
        }
      }
    }
  }

  /** The lines of {@code file}, decompressed by its extension. */
  private static BufferedReader lines(MatchResult.Metadata file) throws IOException {
    return new BufferedReader(
        Channels.newReader(
            Compression.detect(file.resourceId().getFilename())
                .readDecompressed(FileSystems.open(file.resourceId())),
            StandardCharsets.UTF_8));
  }

  /** The first {@code n} lines of the files matching {@code glob}, in file-name order. */
  static List<String> firstLines(String flag, String glob, int n) {
    ReadJsonLines.checkMatchesFiles(flag, glob); // the job's own check and message
    List<String> lines = new ArrayList<>();
    try {
      List<MatchResult.Metadata> files = new ArrayList<>(FileSystems.match(glob).metadata());
      files.sort(Comparator.comparing(m -> m.resourceId().toString()));
      for (MatchResult.Metadata file : files) {
        try (BufferedReader reader = lines(file)) {
          for (String line = reader.readLine();
              line != null && lines.size() < n;
              line = reader.readLine()) {
            lines.add(line);
          }
        }
        if (lines.size() >= n) {
          break;
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          flag + "=" + glob + " cannot be read (" + e.getMessage() + "); check the path", e);
    }
    return lines;
  }

  /** The first {@code n} records of {@code topic} from its beginning; commits nothing. */
  static List<String> firstRecords(KafkaCluster kafka, String topic, int n) {
    Map<String, Object> config = kafka.properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, n);
    // Within the preview's own 10 s, not the client's default minute per call.
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    List<String> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (records.size() < n && System.nanoTime() < deadline && !atEnd(consumer, end)) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          if (records.size() < n) {
            records.add(r.value() == null ? "" : r.value());
          }
        }
      }
    }
    return records;
  }

  private static boolean atEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }
}
