package dev.customer360.pipeline;

import dev.customer360.io.RawRecords;
import dev.customer360.io.files.ReadDeadLetters;
import dev.customer360.io.kafka.KafkaCluster;
import dev.customer360.io.kafka.ReadKafkaDeadLetters;
import dev.customer360.io.postgres.PostgresConnection;
import dev.customer360.io.postgres.ReadPostgresDeadLetters;
import dev.customer360.transforms.ReplayDeadLetters;
import dev.customer360.transforms.SourceDefinition;
import dev.customer360.transforms.values.DeadLetter;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/** A replay's input: the dead letters read, routed back to the step each failed at. */
final class Replay {
  final PCollectionTuple read;
  final ReplayDeadLetters route;
  final PCollectionTuple routed;

  private Replay(PCollectionTuple read, ReplayDeadLetters route, PCollectionTuple routed) {
    this.read = read;
    this.route = route;
    this.routed = routed;
  }

  /** What {@code --replay} names. */
  enum Kind {
    /** {@code kafka:<topic>}: the dead letters in that topic of the job's cluster. */
    KAFKA,
    /** {@code postgres}: the job's database's dead-letter table. */
    POSTGRES,
    /** A directory or {@code s3://} prefix a run wrote its dead letters to. */
    FILES
  }

  /** {@code --replay}'s location: its kind, and the topic or path ({@code postgres} as given). */
  record Location(Kind kind, String value) {
    private static final String KAFKA_PREFIX = "kafka:";

    static Location of(String location) {
      if (location.startsWith(KAFKA_PREFIX)) {
        String topic = location.substring(KAFKA_PREFIX.length());
        if (topic.isBlank()) {
          throw new IllegalArgumentException(
              "--replay=kafka: names no topic; give the topic a run wrote its dead letters to,"
                  + " e.g. --replay=kafka:customer360.dead_letters");
        }
        return new Location(Kind.KAFKA, topic);
      }
      return new Location(location.equals("postgres") ? Kind.POSTGRES : Kind.FILES, location);
    }
  }

  static Replay of(Pipeline pipeline, Customer360Options options, List<SourceDefinition> sources) {
    PCollectionTuple read = pipeline.apply("ReadDeadLetters", readOf(options));
    ReplayDeadLetters route = new ReplayDeadLetters(sources);
    PCollectionTuple routed =
        read.get(ReadDeadLetters.DEAD_LETTERS).apply("ReplayDeadLetters", route);
    return new Replay(read, route, routed);
  }

  /** The read of {@code --replay}'s location. */
  private static PTransform<PBegin, PCollectionTuple> readOf(Customer360Options options) {
    Location location = Location.of(options.getReplay());
    switch (location.kind()) {
      case KAFKA:
        return new ReadKafkaDeadLetters(KafkaCluster.from(options), location.value());
      case POSTGRES:
        return new ReadPostgresDeadLetters(Customer360Pipeline.postgres(options));
      default:
        return new ReadDeadLetters(location.value());
    }
  }

  /** Fails now, naming {@code --replay}, when its location holds nothing to replay. */
  static void check(Customer360Options options) {
    Location location = Location.of(options.getReplay());
    String flag = "--replay=" + options.getReplay();
    switch (location.kind()) {
      case KAFKA:
        KafkaCluster.from(options)
            .checkHoldsTopic(
                location.value(),
                "check "
                    + flag
                    + ": give the topic a run wrote its dead letters to (--deadLetterTopic)");
        break;
      case POSTGRES:
        ReadPostgresDeadLetters.checkReadable(PostgresConnection.from(options), flag);
        break;
      default:
        ReadDeadLetters.checkHoldsFiles("--replay", location.value());
    }
  }

  /**
   * The replay's dead letters: those that failed again, one attempt more than before; those not
   * sent back; unreadable dead-letter lines. Counted per stage for the summary.
   */
  PCollectionList<DeadLetter> failedAgain(PCollectionList<DeadLetter> failures) {
    PCollection<DeadLetter> again =
        failures
            .apply("FlattenFailedAgain", Flatten.pCollections())
            .apply(
                "CountAttempts",
                ReplayDeadLetters.failedAgain(read.get(ReadDeadLetters.DEAD_LETTERS)));
    return PCollectionList.of(
        PCollectionList.of(again)
            .and(routed.get(ReplayDeadLetters.NOT_REPLAYED))
            .and(read.get(RawRecords.DEAD_LETTERS))
            .apply("FlattenStillFailing", Flatten.pCollections())
            .apply("CountStillFailing", ReplayDeadLetters.countStillFailing()));
  }
}
