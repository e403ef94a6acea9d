package dev.customer360.pipeline;

import dev.customer360.io.files.ObjectStorage;
import dev.customer360.io.files.OutputFile;
import dev.customer360.io.files.OutputRuns;
import dev.customer360.io.files.ReadJsonLines;
import dev.customer360.io.files.WriteOutputFiles;
import dev.customer360.io.kafka.KafkaCluster;
import dev.customer360.io.kafka.ReadKafkaRecords;
import dev.customer360.io.kafka.ToKafkaRecords;
import dev.customer360.io.kafka.WriteKafkaRecords;
import dev.customer360.io.postgres.FailOnRefusedDeadLetterFn;
import dev.customer360.io.postgres.PostgresConnection;
import dev.customer360.io.postgres.PostgresTable;
import dev.customer360.io.postgres.WriteToPostgres;
import dev.customer360.pipeline.Customer360Options.Sink;
import dev.customer360.pipeline.Customer360Options.Source;
import dev.customer360.transforms.BuildCustomer360;
import dev.customer360.transforms.CountOutputs;
import dev.customer360.transforms.FutureCheck;
import dev.customer360.transforms.LateEngagements;
import dev.customer360.transforms.RejectFutureEngagements;
import dev.customer360.transforms.ReplayDeadLetters;
import dev.customer360.transforms.SourceDefinition;
import dev.customer360.transforms.StandardSources;
import dev.customer360.transforms.StandardizeSource;
import dev.customer360.transforms.sql.JvmTimeZone;
import dev.customer360.transforms.sql.StandardizationSql;
import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementConflict;
import dev.customer360.transforms.values.RawRecord;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The Customer 360 job: raw call logs and clickstream in; one deduplicated stream of customer
 * engagement events and a dead letter of every record that could not become one, out.
 *
 * <pre>{@code
 * java -cp ... dev.customer360.pipeline.Customer360Pipeline \
 *   --callLogInput='src/samples/call_log*.jsonl' --clickstreamInput='src/samples/clickstream*.jsonl' \
 *   --output=out --window=1h
 * }</pre>
 */
public final class Customer360Pipeline {
  /** Names of the output directories below {@code --output}. */
  public static final String ENGAGEMENTS = OutputFile.ENGAGEMENTS.name();

  public static final String PROFILES = OutputFile.PROFILES.name();

  public static final String DEAD_LETTER = OutputFile.DEAD_LETTERS.name();

  private Customer360Pipeline() {}

  public static void main(String[] args) {
    System.exit(Cli.run(args));
  }

  /** Builds the graph for {@code options}; fails fast, naming the flag, on a bad option. */
  public static Pipeline build(Customer360Options options) {
    return build(options, StandardSources.ALL);
  }

  /**
   * Builds the graph over the given sources (normally {@link StandardSources#ALL}); each needs
   * {@code <sqlDir>/<name>.sql} (or the jar's copy) and an input.
   */
  public static Pipeline build(Customer360Options options, List<SourceDefinition> sources) {
    /*
     * Steps:
     *  1) Read the raw records of each source.
     *  2) Standardize each source: parse, run its SQL, validate, check the engagement is not
     *     dated too far in the future (bad records -> dead letter).
     *  3) Put the engagements on event time, drop re-deliveries of the same event_id,
     *     dead-letter engagements whose window has closed.
     *  4) Window the distinct engagements.
     *  5) Build each customer's profile per window.
     *  6) Write engagements, profiles and dead letters to the chosen sinks; rows a sink rejects
     *     join the dead letters.
     */
    JvmTimeZone.requireUtc();
    ObjectStorage.applyTo(options);
    Set<Sink> sinks = sinks(options);
    checkWindowing(options);
    Duration allowedLateness = options.getAllowedLateness().duration();
    Duration maxFutureSkew = options.getMaxFutureSkew().duration();
    // Files carry no write time: their events are judged against the run's start, taken once here.
    Instant runStart = Instant.now();
    FutureCheck futureCheck = new FutureCheck(maxFutureSkew, "--maxFutureSkew", runStart);
    Map<SourceDefinition, StandardizeSource> standardizations = new LinkedHashMap<>();
    sources.forEach(
        source ->
            standardizations.put(
                source, standardization(options, source).withFutureCheck(futureCheck)));
    Map<SourceDefinition, PTransform<PBegin, PCollection<RawRecord>>> reads =
        isReplay(options) ? Map.of() : reads(options, standardizations, maxFutureSkew);
    KafkaCluster kafka = sinks.contains(Sink.kafka) ? KafkaCluster.from(options) : null;
    checkFileShards(options, sinks);
    checkReplayOutput(options, sinks);
    String runId = runId(options);

    Pipeline pipeline = Pipeline.create(options);
    Replay replay = isReplay(options) ? Replay.of(pipeline, options, sources) : null;
    Standardized standardized = // Steps #1 and #2
        Standardized.of(pipeline, standardizations, reads, replay, futureCheck);
    PCollectionList<DeadLetter> deadLetters = standardized.deadLetters;
    PCollectionTuple customer360 =
        standardized
            .engagements
            .apply("FlattenSources", Flatten.pCollections())
            .apply(
                "BuildCustomer360", // Steps #3 to #5: dedup, windows, profiles
                new BuildCustomer360(
                    options.getWindow().duration(),
                    allowedLateness,
                    options.getProfileUpdateEvery().duration(),
                    options.getDedupShards()));
    Outputs outputs = Outputs.of(customer360, replay != null);
    deadLetters =
        deadLetters.and(
            customer360
                .get(BuildCustomer360.LATE)
                .apply(
                    "LateToDeadLetters",
                    LateEngagements.toDeadLetters(allowedLateness, "--allowedLateness")));
    if (replay != null) {
      deadLetters = replay.failedAgain(deadLetters);
    }
    write(options, sinks, kafka, runId, outputs, deadLetters); // Step #6
    return pipeline;
  }

  /** What the job writes besides its dead letters. */
  private record Outputs(
      PCollection<Engagement> distinct,
      PCollection<CustomerProfile> profiles,
      PCollection<EngagementConflict> conflicts) {
    /**
     * A replay writes no profile: its engagements are a few of their windows', and a profile of
     * only those would replace the whole window's profile in the sinks.
     */
    static Outputs of(PCollectionTuple customer360, boolean replay) {
      PCollection<CustomerProfile> profiles = customer360.get(BuildCustomer360.PROFILES);
      return new Outputs(
          customer360
              .get(BuildCustomer360.ENGAGEMENTS)
              .apply("CountDistinctEngagements", CountOutputs.distinctEngagements()),
          replay
              ? profiles.getPipeline().apply("NoProfiles", Create.empty(profiles.getCoder()))
              : profiles,
          customer360.get(BuildCustomer360.CONFLICTS));
    }
  }

  /**
   * Steps #1 and #2: each source's records (read, or replayed), standardized; a replay's
   * engagements checked for the future as the standardization checks the rest.
   */
  private static final class Standardized {
    PCollectionList<Engagement> engagements;
    PCollectionList<DeadLetter> deadLetters;

    static Standardized of(
        Pipeline pipeline,
        Map<SourceDefinition, StandardizeSource> standardizations,
        Map<SourceDefinition, PTransform<PBegin, PCollection<RawRecord>>> reads,
        Replay replay,
        FutureCheck futureCheck) {
      Standardized out = new Standardized();
      out.engagements = PCollectionList.empty(pipeline);
      out.deadLetters = PCollectionList.empty(pipeline);
      for (SourceDefinition source : standardizations.keySet()) {
        PCollection<RawRecord> raw;
        if (replay == null) {
          // Records the read could not read whole are dead-lettered by the standardization.
          raw = pipeline.apply("Read" + camel(source.name()), reads.get(source));
        } else {
          raw = replay.routed.get(replay.route.rawRecordsOf(source));
        }
        PCollectionTuple standardized;
        try {
          standardized =
              raw.apply("Standardize" + camel(source.name()), standardizations.get(source));
        } catch (IllegalArgumentException e) { // the SQL does not plan
          throw new IllegalArgumentException(
              e.getMessage() + " Try a fix quickly with --preview.", e);
        }
        out.engagements = out.engagements.and(standardized.get(StandardizeSource.ENGAGEMENTS));
        out.deadLetters = out.deadLetters.and(standardized.get(StandardizeSource.DEAD_LETTERS));
      }
      if (replay != null) {
        PCollectionTuple checked =
            replay
                .routed
                .get(ReplayDeadLetters.ENGAGEMENTS)
                .apply("RejectFutureEngagements", new RejectFutureEngagements(futureCheck));
        out.engagements = out.engagements.and(checked.get(RejectFutureEngagements.ACCEPTED));
        out.deadLetters = out.deadLetters.and(checked.get(RejectFutureEngagements.FUTURE));
      }
      return out;
    }
  }

  private static void checkWindowing(Customer360Options options) {
    if (!options.getWindow().duration().isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("--window must be longer than zero, e.g. --window=1h");
    }
    if (options.getDedupShards() < 0) {
      throw new IllegalArgumentException(
          "--dedupShards must be 0 (the default number) or more (shards), got "
              + options.getDedupShards());
    }
  }

  /**
   * A replay's files are a lake of their own: in the lake it replays, a full run would remove them
   * and the next replay would read the original dead letters and the replay's together.
   */
  private static void checkReplayOutput(Customer360Options options, Set<Sink> sinks) {
    if (!isReplay(options)) {
      return;
    }
    Replay.Location location = Replay.Location.of(options.getReplay());
    String topic = location.kind() == Replay.Kind.KAFKA ? location.value() : null;
    if (topic != null && sinks.contains(Sink.kafka) && topic.equals(options.getDeadLetterTopic())) {
      throw new IllegalArgumentException(
          "--replay="
              + options.getReplay()
              + " is the --deadLetterTopic this replay writes to, so each replay would add a copy"
              + " of every record still failing; give the replay's dead letters a topic of their"
              + " own, e.g. --deadLetterTopic="
              + topic
              + ".replay");
    }
    if (!replaysFiles(options) || !sinks.contains(Sink.files)) {
      return;
    }
    String replayed = pathOf(options.getReplay());
    String output = pathOf(options.getOutput());
    if (output.equals(replayed) || replayed.startsWith(output + "/")) {
      throw new IllegalArgumentException(
          "--output="
              + options.getOutput()
              + " holds the dead letters being replayed (--replay="
              + options.getReplay()
              + "); give the replay an output of its own, e.g. --output="
              + options.getOutput().replaceFirst("/+$", "")
              + "-replay");
    }
  }

  /** A location to compare: local paths absolute and normalized, URIs without trailing '/'. */
  private static String pathOf(String location) {
    String trimmed = location.replaceFirst("/+$", "");
    return trimmed.contains("://")
        ? trimmed
        : Path.of(trimmed).toAbsolutePath().normalize().toString();
  }

  /** A stream into files needs a fixed number of files per window. */
  private static void checkFileShards(Customer360Options options, Set<Sink> sinks) {
    if (isStream(options) && sinks.contains(Sink.files) && options.getNumShards() < 1) {
      throw new IllegalArgumentException(
          "--numShards must be at least 1 when the file sink writes a stream (--source=kafka"
              + " without --maxRecords/--maxReadTime)");
    }
  }

  /**
   * Step #1's reads, one per source: its Kafka topic, or its input files. Every source's flags are
   * checked before the graph is built. A Kafka read takes its event time from the source's
   * standardization, so it reads the timestamps that standardization accepts, alike.
   */
  private static Map<SourceDefinition, PTransform<PBegin, PCollection<RawRecord>>> reads(
      Customer360Options options,
      Map<SourceDefinition, StandardizeSource> standardizations,
      Duration maxFutureSkew) {
    List<SourceDefinition> sources = List.copyOf(standardizations.keySet());
    Map<SourceDefinition, String> topics = SourceInputs.topics(options, sources);
    boolean fromKafka = fromKafka(options);
    Map<SourceDefinition, SourceInputs.Input> files =
        fromKafka ? Map.of() : SourceInputs.files(options, sources);
    KafkaCluster kafka = fromKafka ? KafkaCluster.from(options) : null;
    Duration maxReadTime =
        options.getMaxReadTime() == null ? null : options.getMaxReadTime().duration();
    Duration partitionDiscovery = partitionDiscovery(options);
    Map<SourceDefinition, PTransform<PBegin, PCollection<RawRecord>>> reads = new LinkedHashMap<>();
    for (SourceDefinition source : sources) {
      reads.put(
          source,
          fromKafka
              ? new ReadKafkaRecords(
                  kafka,
                  topics.get(source),
                  options.getGroupId(),
                  standardizations.get(source).rawEventTime(),
                  options.getMaxOutOfOrderness().duration(),
                  maxFutureSkew,
                  options.getMaxRecords(),
                  maxReadTime,
                  partitionDiscovery)
              : new ReadJsonLines(files.get(source).flag, files.get(source).value));
    }
    return reads;
  }

  /**
   * Step #6: writes the outputs and the dead letters to the chosen sinks. Rows PostgreSQL rejects
   * join the dead letters first, so every sink gets them.
   */
  private static void write(
      Customer360Options options,
      Set<Sink> sinks,
      KafkaCluster kafka,
      String runId,
      Outputs outputs,
      PCollectionList<DeadLetter> deadLetters) {
    PCollectionList<DeadLetter> allDeadLetters = deadLetters;
    PostgresConnection database = null;
    if (sinks.contains(Sink.postgres)) {
      database = postgres(options);
      allDeadLetters = allDeadLetters.and(writeToPostgres(outputs, database, options));
    }
    PCollection<DeadLetter> everyDeadLetter =
        allDeadLetters.apply("FlattenDeadLetters", Flatten.pCollections());
    if (sinks.contains(Sink.files)) {
      writeFiles(options, runId, outputs, everyDeadLetter);
    } else {
      everyDeadLetter.apply("CountDeadLettersOut", CountOutputs.deadLetters());
    }
    if (sinks.contains(Sink.kafka)) {
      writeToKafka(options, kafka, outputs, everyDeadLetter);
    }
    if (database != null) {
      everyDeadLetter
          .apply(
              "WriteDeadLettersToPostgres",
              new WriteToPostgres<>(
                  database, PostgresTable.DEAD_LETTERS, options.getJdbcBatchSize()))
          .apply("FailOnRefusedDeadLetters", ParDo.of(new FailOnRefusedDeadLetterFn()));
    }
  }

  /** The PostgreSQL sink's connection, its options checked. */
  static PostgresConnection postgres(Customer360Options options) {
    PostgresConnection database = PostgresConnection.from(options);
    if (database.urlHoldsSecret()) {
      throw new IllegalArgumentException(
          "--jdbcUrl carries a password: a secret in an option is shown wherever the runner"
              + " shows the job's options (Flink's web UI and REST API); remove it from the URL"
              + " and put it in the environment variable named by --jdbcPasswordEnv");
    }
    if (options.getJdbcBatchSize() < 1) {
      throw new IllegalArgumentException(
          "--jdbcBatchSize must be at least 1, got " + options.getJdbcBatchSize());
    }
    return database;
  }

  /** Writes the outputs to their tables; returns the rows PostgreSQL rejected, as dead letters. */
  private static List<PCollection<DeadLetter>> writeToPostgres(
      Outputs outputs, PostgresConnection database, Customer360Options options) {
    int batch = options.getJdbcBatchSize();
    return List.of(
        outputs
            .distinct()
            .apply(
                "WriteEngagementsToPostgres",
                new WriteToPostgres<>(database, PostgresTable.ENGAGEMENTS, batch)),
        outputs
            .profiles()
            .apply(
                "WriteProfilesToPostgres",
                new WriteToPostgres<>(database, PostgresTable.PROFILES, batch)),
        outputs
            .conflicts()
            .apply(
                "WriteConflictsToPostgres",
                new WriteToPostgres<>(database, PostgresTable.CONFLICTS, batch)));
  }

  private static void writeFiles(
      Customer360Options options,
      String runId,
      Outputs outputs,
      PCollection<DeadLetter> everyDeadLetter) {
    String out = options.getOutput();
    WriteOutputFiles.Format format = options.getFormat();
    WriteOutputFiles.JsonCompression compression = options.getCompression();
    int shards = options.getNumShards();
    boolean stable = restoresFromCheckpoints(options);
    outputs
        .distinct()
        .apply("CountEngagementsOut", CountOutputs.engagements())
        .apply(
            "WriteEngagements",
            new WriteOutputFiles<>(out, runId, OutputFile.ENGAGEMENTS, format, compression, shards)
                .namedByWindowsOf(options.getWindow().duration())
                .withStableInput(stable));
    outputs
        .profiles()
        .apply("CountProfilesOut", CountOutputs.profiles())
        .apply(
            "WriteProfiles",
            new WriteOutputFiles<>(out, runId, OutputFile.PROFILES, format, compression, shards)
                .withStableInput(stable));
    everyDeadLetter
        .apply("CountDeadLettersOut", CountOutputs.deadLetters())
        .apply(
            "WriteDeadLetters",
            new WriteOutputFiles<>(out, runId, OutputFile.DEAD_LETTERS, format, compression, shards)
                .withStableInput(stable));
    outputs
        .conflicts()
        .apply(
            "WriteConflicts",
            new WriteOutputFiles<>(out, runId, OutputFile.CONFLICTS, format, compression, shards)
                .withStableInput(stable));
  }

  /**
   * How often a stream looks for new partitions of its raw topics, or null. KafkaIO discovers them
   * only in its splittable read, which it uses only under Beam's {@code beam_fn_api} experiment:
   * that is added here, before the graph is built, rather than asked of the user.
   */
  private static @Nullable Duration partitionDiscovery(Customer360Options options) {
    if (options.getPartitionDiscoveryInterval() == null) {
      return null;
    }
    if (!isStream(options)) {
      throw new IllegalArgumentException(
          "--partitionDiscoveryInterval watches a running Kafka stream for new partitions: leave"
              + " it out of a bounded run (files, or Kafka with --maxRecords/--maxReadTime), which"
              + " reads the partitions there are when it starts");
    }
    ExperimentalOptions.addExperiment(options.as(ExperimentalOptions.class), "beam_fn_api");
    return options.getPartitionDiscoveryInterval().duration();
  }

  /**
   * A stream on Flink with checkpoints, which restores from them after a failure. The Flink runner
   * is not a compile-time dependency (the DirectRunner needs none of it): its option is read from
   * the options as given.
   */
  static boolean restoresFromCheckpoints(Customer360Options options) {
    if (!isStream(options) || !options.getRunner().getSimpleName().equals("FlinkRunner")) {
      return false;
    }
    com.fasterxml.jackson.databind.JsonNode given =
        new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(options).path("options");
    return given.path("checkpointingInterval").asLong(-1) > 0;
  }

  private static void writeToKafka(
      Customer360Options options,
      KafkaCluster kafka,
      Outputs outputs,
      PCollection<DeadLetter> everyDeadLetter) {
    boolean exactlyOnce = options.getExactlyOnce();
    if (exactlyOnce
        && isStream(options)
        && options.getRunner().getSimpleName().equals("FlinkRunner")
        && !restoresFromCheckpoints(options)) {
      throw new IllegalArgumentException(
          "--exactlyOnce on a Flink stream writes only what a completed checkpoint holds: add"
              + " --checkpointingInterval=<milliseconds>, e.g. --checkpointingInterval=10000");
    }
    String group = options.getGroupId();
    outputs
        .distinct()
        .apply("CountEngagementsToKafka", CountOutputs.engagementsToKafka())
        .apply("EngagementsToKafkaRecords", ToKafkaRecords.engagements())
        .apply(
            "WriteEngagementsToKafka",
            new WriteKafkaRecords(kafka, options.getEngagementsTopic(), exactlyOnce, group));
    outputs
        .profiles()
        .apply("ProfilesToKafkaRecords", ToKafkaRecords.profiles())
        .apply(
            "WriteProfilesToKafka",
            new WriteKafkaRecords(kafka, options.getProfilesTopic(), exactlyOnce, group));
    outputs
        .conflicts()
        .apply("ConflictsToKafkaRecords", ToKafkaRecords.conflicts())
        .apply(
            "WriteConflictsToKafka",
            new WriteKafkaRecords(kafka, options.getConflictsTopic(), exactlyOnce, group));
    everyDeadLetter
        .apply("DeadLettersToKafkaRecords", ToKafkaRecords.deadLetters())
        .apply(
            "WriteDeadLettersToKafka",
            new WriteKafkaRecords(kafka, options.getDeadLetterTopic(), exactlyOnce, group));
  }

  /** The sinks named by {@code --sinks}, each once. */
  static Set<Sink> sinks(Customer360Options options) {
    if (options.getSinks() == null || options.getSinks().isEmpty()) {
      throw new IllegalArgumentException(
          "--sinks is empty; choose from " + Arrays.toString(Sink.values()));
    }
    return EnumSet.copyOf(options.getSinks());
  }

  /** Builds, prepares and runs the job; returns without waiting (see {@link #finish}). */
  public static PipelineResult run(Customer360Options options) {
    Pipeline pipeline = build(options);
    prepare(options, StandardSources.ALL);
    return pipeline.run();
  }

  /**
   * Builds, prepares and runs the job, waits for it and, when it succeeded, finishes it; throws
   * when the run did not succeed (nothing is published or committed then).
   */
  public static PipelineResult runToEnd(Customer360Options options) {
    PipelineResult result = run(options);
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the run ended " + state);
    }
    finish(options, StandardSources.ALL, result);
    return result;
  }

  /**
   * The one step that touches the world before {@code run()}: registers the file systems, checks
   * that inputs exist and that Kafka, PostgreSQL and the output can be used, creates the tables
   * with {@code --createTables}, and announces a stream's output run. Returns the number of Kafka
   * records that expired (retention) before the consumer group read them.
   */
  public static long prepare(Customer360Options options, List<SourceDefinition> sources) {
    ObjectStorage.register(options);
    Set<Sink> sinks = sinks(options);
    boolean fromKafka = fromKafka(options);
    if (isReplay(options)) {
      Replay.check(options);
    } else if (!fromKafka) {
      SourceInputs.files(options, sources)
          .values()
          .forEach(input -> ReadJsonLines.checkMatchesFiles(input.flag, input.value));
    }
    long expired = 0;
    if (fromKafka || sinks.contains(Sink.kafka)) {
      KafkaCluster kafka = KafkaCluster.from(options);
      List<String> topics =
          fromKafka
              ? List.copyOf(SourceInputs.topics(options, sources).values())
              : List.<String>of();
      kafka.checkReachable(topics, SourceInputs.TOPIC_FLAGS);
      if (fromKafka) {
        expired = kafka.expiredSinceLastCommit(options.getGroupId(), topics);
      }
    }
    if (sinks.contains(Sink.postgres)) {
      PostgresConnection.from(options).checkReachable(options.getCreateTables());
    }
    if (sinks.contains(Sink.files)) {
      ObjectStorage.checkWritable(options);
      if (isStream(options)) {
        try {
          OutputRuns.announceStream(options.getOutput(), runId(options));
        } catch (java.io.IOException e) {
          throw new IllegalArgumentException(
              "Cannot write the run's manifest below --output=" + options.getOutput() + ": " + e,
              e);
        }
      }
    }
    return expired;
  }

  /**
   * After a bounded run succeeded: publishes the files it wrote (its manifest, then the removal of
   * the runs it replaces) and commits the Kafka offsets it read, so a failed run leaves the last
   * good output in place and its records are read again by the next run.
   */
  public static void finish(
      Customer360Options options, List<SourceDefinition> sources, PipelineResult result) {
    if (isStream(options)) {
      return;
    }
    boolean fromKafka = fromKafka(options);
    if (sinks(options).contains(Sink.files)) {
      try {
        OutputRuns.publish(
            options.getOutput(),
            runId(options),
            fromKafka || isReplay(options) ? OutputRuns.Mode.INCREMENT : OutputRuns.Mode.REPLACE);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(
            "The run succeeded but its files could not be published below --output="
                + options.getOutput()
                + " ("
                + e.getMessage()
                + "); nothing was committed: run again",
            e);
      }
    }
    if (fromKafka) {
      KafkaCluster.from(options)
          .commit(options.getGroupId(), ReadKafkaRecords.offsetsRead(result.metrics()));
    }
  }

  static boolean fromKafka(Customer360Options options) {
    return options.getSource() == Source.kafka && !isReplay(options);
  }

  /** A replay of dead-letter files (not of a Kafka topic or the PostgreSQL table). */
  static boolean replaysFiles(Customer360Options options) {
    return isReplay(options) && Replay.Location.of(options.getReplay()).kind() == Replay.Kind.FILES;
  }

  /** A replay of dead letters ({@code --replay}) instead of a read of the sources. */
  static boolean isReplay(Customer360Options options) {
    return options.getReplay() != null && !options.getReplay().isBlank();
  }

  /** A Kafka read with no record or time limit: the job runs until it is stopped. */
  static boolean isStream(Customer360Options options) {
    return fromKafka(options) && options.getMaxRecords() <= 0 && options.getMaxReadTime() == null;
  }

  private static String runId(Customer360Options options) {
    try {
      return OutputRuns.checkRunId(options.getRunId());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--runId: " + e.getMessage());
    }
  }

  private static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    for (String part : snake.split("_")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }

  /**
   * How {@code source} is standardized under {@code options}: its SQL file, the sources' time zone
   * and the record size limit, checked with messages naming the flags. The job and the preview both
   * use it, so they standardize alike.
   */
  static StandardizeSource standardization(Customer360Options options, SourceDefinition source) {
    JvmTimeZone.requireUtc();
    if (options.getMaxRecordBytes() < 1) {
      throw new IllegalArgumentException("--maxRecordBytes must be at least 1");
    }
    StandardizeSource standardize = StandardizeSource.of(source, sql(options, source));
    try {
      standardize = standardize.withSourceTimeZone(options.getSourceTimeZone());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage() + " (--sourceTimeZone=" + options.getSourceTimeZone() + ")", e);
    }
    return standardize.withMaxRecordBytes(options.getMaxRecordBytes());
  }

  /** The source's SQL file; a missing one names the flag that chose where to look. */
  private static StandardizationSql sql(Customer360Options options, SourceDefinition source) {
    boolean fromJar = options.getSqlDir() == null || options.getSqlDir().isBlank();
    try {
      return fromJar
          ? StandardizationSql.fromClasspath(source.name())
          : StandardizationSql.fromDirectory(Path.of(options.getSqlDir()), source.name());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage() + (fromJar ? " (--sqlDir)" : " (--sqlDir=" + options.getSqlDir() + ")"),
          e);
    }
  }
}
