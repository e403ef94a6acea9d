package dev.customer360.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.transforms.sql.Timestamps;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.Ids;
import dev.customer360.transforms.values.RawRecord;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Sends dead letters back to the step they failed at: a raw record ({@code parse}, {@code rules},
 * {@code sql}) to its source's standardization ({@link #rawRecordsOf}), an engagement ({@code
 * late}, {@code future}, a rejected engagement row) to dedup ({@link #ENGAGEMENTS}). What cannot be
 * sent back ({@link #NOT_REPLAYED}: a payload that is not the record, a source this version does
 * not know) stays a dead letter, so the replay's dead-letter set is complete.
 *
 * <p>A raw record goes back with the origin its dead letter names, so failing again it names the
 * same one.
 *
 * <p>Dead letters written before they carried a stage are read by their reason: a late one's starts
 * with {@code late:}, a sink's source is {@code postgres:<table>}; any other is a raw record.
 */
public final class ReplayDeadLetters extends PTransform<PCollection<DeadLetter>, PCollectionTuple> {
  public static final TupleTag<Engagement> ENGAGEMENTS = new TupleTag<Engagement>() {};
  public static final TupleTag<DeadLetter> NOT_REPLAYED = new TupleTag<DeadLetter>() {};

  /** The only sink table whose rejected rows are engagements. */
  private static final String ENGAGEMENT_SINK = "postgres:customer_engagements";

  private final Map<String, TupleTag<RawRecord>> rawBySource = new LinkedHashMap<>();

  public ReplayDeadLetters(List<SourceDefinition> sources) {
    for (SourceDefinition source : sources) {
      rawBySource.put(source.name(), new TupleTag<RawRecord>("replay-raw-" + source.name()) {});
    }
  }

  /** The raw records of {@code source} to standardize again. */
  public TupleTag<RawRecord> rawRecordsOf(SourceDefinition source) {
    return rawBySource.get(source.name());
  }

  @Override
  public PCollectionTuple expand(PCollection<DeadLetter> deadLetters) {
    TupleTagList others = TupleTagList.of(NOT_REPLAYED);
    for (TupleTag<RawRecord> tag : rawBySource.values()) {
      others = others.and(tag);
    }
    return deadLetters.apply(
        "RouteToTheirStep",
        ParDo.of(new RouteFn(new LinkedHashMap<>(rawBySource)))
            .withOutputTags(ENGAGEMENTS, others));
  }

  /**
   * The replay's new dead letters with the attempts of the dead letters they were replayed from:
   * one more than the most of any dead letter of the same source and payload, and the origin of
   * that dead letter when the new one names none (an engagement, late again, has none of its own).
   * A validation failure has the SQL's output as its payload, not the record, so it matches none
   * and counts 2.
   */
  public static PTransform<PCollection<DeadLetter>, PCollection<DeadLetter>> failedAgain(
      PCollection<DeadLetter> replayed) {
    return new FailedAgain(replayed);
  }

  private static final class FailedAgain
      extends PTransform<PCollection<DeadLetter>, PCollection<DeadLetter>> {
    private static final TupleTag<KV<Integer, String>> BEFORE =
        new TupleTag<KV<Integer, String>>() {};
    private static final TupleTag<DeadLetter> AGAIN = new TupleTag<DeadLetter>() {};
    private final transient PCollection<DeadLetter> replayed;

    FailedAgain(PCollection<DeadLetter> replayed) {
      this.replayed = replayed;
    }

    @Override
    public PCollection<DeadLetter> expand(PCollection<DeadLetter> failures) {
      PCollection<KV<String, KV<Integer, String>>> before =
          replayed.apply(
              "KeyReplayedByRecord",
              MapElements.into(
                      TypeDescriptors.kvs(
                          TypeDescriptors.strings(),
                          TypeDescriptors.kvs(
                              TypeDescriptors.integers(), TypeDescriptors.strings())))
                  .via((DeadLetter d) -> KV.of(recordKey(d), KV.of(d.attempts(), d.origin()))));
      PCollection<KV<String, DeadLetter>> again =
          failures.apply(
              "KeyFailuresByRecord",
              MapElements.into(
                      TypeDescriptors.kvs(
                          TypeDescriptors.strings(), TypeDescriptor.of(DeadLetter.class)))
                  .via((DeadLetter d) -> KV.of(recordKey(d), d)));
      return KeyedPCollectionTuple.of(BEFORE, before)
          .and(AGAIN, again)
          .apply("JoinByRecord", CoGroupByKey.create())
          .apply("CountOneMoreAttempt", ParDo.of(new OneMoreAttemptFn()));
    }

    /** Source length-prefixed: NUL may occur in payloads, so a separator alone is ambiguous. */
    private static String recordKey(DeadLetter d) {
      return Ids.of(d.source().length() + ":" + d.source(), d.payload());
    }
  }

  private static final class OneMoreAttemptFn extends DoFn<KV<String, CoGbkResult>, DeadLetter> {
    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<DeadLetter> out) {
      int attempts = 1;
      String origin = "";
      for (KV<Integer, String> before : joined.getValue().getAll(FailedAgain.BEFORE)) {
        // The most attempts wins; among equals, the least known origin: the same on every run.
        int tries = before.getKey();
        if (tries > attempts || tries == attempts && comesFirst(before.getValue(), origin)) {
          attempts = tries;
          origin = before.getValue();
        }
      }
      for (DeadLetter d : joined.getValue().getAll(FailedAgain.AGAIN)) {
        DeadLetter counted = d.withAttempts(attempts + 1);
        out.output(counted.origin().isEmpty() ? counted.withOrigin(origin) : counted);
      }
    }

    /** Whether origin {@code a} is chosen over {@code b}: a known one over none, then by text. */
    private static boolean comesFirst(String a, String b) {
      return !a.isEmpty() && (b.isEmpty() || a.compareTo(b) < 0);
    }
  }

  /** Counts the replay's dead letters per stage ({@link MetricNames#replayStillFailing}). */
  public static MapElements<DeadLetter, DeadLetter> countStillFailing() {
    return MapElements.into(TypeDescriptor.of(DeadLetter.class))
        .via(
            (DeadLetter d) -> {
              // A counter looked up per dead letter: a replay's are few.
              Metrics.counter(
                      ReplayDeadLetters.class, MetricNames.replayStillFailing(stageOf(d).column()))
                  .inc();
              return d;
            });
  }

  /** Whether a replay sends {@code d} through its source's standardization. */
  public static boolean isRawRecord(DeadLetter d) {
    DeadLetter.Stage stage = stageOf(d);
    return d.replayable()
        && (stage == DeadLetter.Stage.PARSE
            || stage == DeadLetter.Stage.RULES
            || stage == DeadLetter.Stage.SQL);
  }

  /** The step a dead letter goes back to, for dead letters with or without a stage. */
  static DeadLetter.Stage stageOf(DeadLetter d) {
    DeadLetter.Stage stage = d.stage();
    if (stage != null) {
      return stage;
    }
    if (d.source().startsWith("postgres:")) {
      return DeadLetter.Stage.SINK;
    }
    return d.error().startsWith("late:") ? DeadLetter.Stage.LATE : DeadLetter.Stage.PARSE;
  }

  static final class RouteFn extends DoFn<DeadLetter, Engagement> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DATETIME =
        DateTimeFormatter.ofPattern(Timestamps.DEFAULT_PATTERN.replace("yyyy", "uuuu"));

    private final Map<String, TupleTag<RawRecord>> rawBySource;
    private final Counter read = Metrics.counter(ReplayDeadLetters.class, MetricNames.REPLAY_READ);
    private final Counter engagements =
        Metrics.counter(ReplayDeadLetters.class, MetricNames.REPLAYED_ENGAGEMENTS);
    private final Counter notReplayed =
        Metrics.counter(ReplayDeadLetters.class, MetricNames.REPLAY_NOT_REPLAYED);

    RouteFn(Map<String, TupleTag<RawRecord>> rawBySource) {
      this.rawBySource = rawBySource;
    }

    @ProcessElement
    public void process(@Element DeadLetter d, MultiOutputReceiver out) {
      read.inc();
      if (!d.replayable()) {
        notReplayed.inc();
        out.get(NOT_REPLAYED).output(d); // not tried: its attempts stay
        return;
      }
      DeadLetter.Stage stage = stageOf(d);
      switch (stage) {
        case PARSE:
        case RULES:
        case SQL:
          TupleTag<RawRecord> raw = rawBySource.get(d.source());
          if (raw == null) {
            notReplayed.inc();
            out.get(NOT_REPLAYED)
                .output(
                    again(
                        d,
                        "replay: there is no source '"
                            + d.source()
                            + "' in this version (sources: "
                            + String.join(", ", rawBySource.keySet())
                            + "); replay it with the version that wrote it"));
          } else {
            out.get(raw).output(RawRecord.withOrigin(d.payload(), d.origin()));
          }
          return;
        case LATE:
        case FUTURE:
        case SINK:
          toEngagement(d, out);
          return;
        default:
          notReplayed.inc();
          out.get(NOT_REPLAYED).output(d);
      }
    }

    private void toEngagement(DeadLetter d, MultiOutputReceiver out) {
      boolean engagementRow =
          !d.source().startsWith("postgres:") || ENGAGEMENT_SINK.equals(d.source());
      String problem = engagementRow ? null : "only rejected engagement rows can be replayed";
      Engagement e = null;
      if (problem == null) {
        try {
          e = engagementOf(d);
        } catch (IOException | RuntimeException ex) {
          problem = "its payload is not an engagement's JSON line (" + ex.getMessage() + ")";
        }
      }
      if (problem != null) {
        notReplayed.inc();
        out.get(NOT_REPLAYED)
            .output(again(d, "replay: " + problem + "; run the job again over its raw records"));
        return;
      }
      engagements.inc();
      out.get(ENGAGEMENTS).output(e);
    }

    /** The engagement a late, future or rejected engagement's payload holds. */
    private Engagement engagementOf(DeadLetter d) throws IOException {
      JsonNode json = JSON.readTree(d.payload());
      Instant time =
          Instant.ofEpochMilli(
              LocalDateTime.parse(field(json, "engagement_datetime").asText(), DATETIME)
                  .toInstant(ZoneOffset.UTC)
                  .toEpochMilli());
      JsonNode seconds = field(json, "engagement_seconds");
      if (!seconds.canConvertToInt() || seconds.intValue() < 0) {
        throw new IllegalArgumentException("engagement_seconds is " + seconds);
      }
      String source = rawBySource.containsKey(d.source()) ? d.source() : "";
      Engagement e =
          Engagement.from(
              source,
              field(json, "user_id").asText(),
              time,
              field(json, "engagement_type").asText(),
              field(json, "engagement_source_id").asText(),
              seconds.intValue());
      JsonNode eventId = json.get("event_id");
      if (eventId != null && !eventId.asText().equals(e.eventId())) {
        throw new IllegalArgumentException(
            "its event_id " + eventId.asText() + " is not that of its fields, " + e.eventId());
      }
      return e;
    }

    private static JsonNode field(JsonNode json, String name) {
      JsonNode value = json == null ? null : json.get(name);
      if (value == null || value.isNull()) {
        throw new IllegalArgumentException("no " + name);
      }
      return value;
    }

    private static DeadLetter again(DeadLetter d, String reason) {
      return d.failedAgain(DeadLetter.of(stageOf(d), d.source(), reason, d.payload()));
    }
  }
}
