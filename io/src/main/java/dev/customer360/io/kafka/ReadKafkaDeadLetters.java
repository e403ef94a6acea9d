package dev.customer360.io.kafka;

import dev.customer360.io.RawRecords;
import dev.customer360.io.files.ReadDeadLetters;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.JsonLines;
import java.nio.charset.CharsetDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the dead letters this job wrote to a Kafka topic (its {@code --deadLetterTopic}), for a
 * replay: every partition from its beginning to the end offset it had when the read started, so the
 * read is bounded even while the job (or this replay) writes more. No consumer group is used and no
 * offset is committed: a replay reads the whole topic each time.
 *
 * <p>One worker reads the whole topic with a plain consumer: dead-letter topics are small (a bad
 * record is the exception), so the read is simple rather than split. Out come the dead letters
 * ({@link ReadDeadLetters#DEAD_LETTERS}) and, for a value that is not a dead letter's JSON, a dead
 * letter of its own ({@link RawRecords#DEAD_LETTERS}, stage {@code read}, naming topic, partition
 * and offset).
 */
public final class ReadKafkaDeadLetters extends PTransform<PBegin, PCollectionTuple> {
  private final KafkaCluster cluster;
  private final String topic;

  public ReadKafkaDeadLetters(KafkaCluster cluster, String topic) {
    this.cluster = cluster;
    this.topic = topic;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    return ReadDeadLetters.readOne(begin, topic, "ReadTopicToItsEnd", new ReadTopicFn(cluster));
  }

  /** Reads one topic from the beginning to the end offsets taken first, partition by partition. */
  static final class ReadTopicFn extends DoFn<String, DeadLetter> {
    /** How long a read may go without any progress before it gives up. */
    private static final Duration STALLED = Duration.ofMinutes(2);

    private final KafkaCluster cluster;
    private transient CharsetDecoder decoder;
    private final int[] invalidAt = new int[1];

    ReadTopicFn(KafkaCluster cluster) {
      this.cluster = cluster;
    }

    @Setup
    public void setup() {
      decoder = RawRecords.strictUtf8();
    }

    @ProcessElement
    public void process(@Element String topic, MultiOutputReceiver out) {
      try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumerWithoutGroup()) {
        List<TopicPartition> partitions = partitionsOf(consumer, topic);
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
        consumer.seekToBeginning(partitions);
        long lastProgress = System.nanoTime();
        while (!reachedEnd(consumer, end)) {
          int polled = 0;
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            TopicPartition p = new TopicPartition(record.topic(), record.partition());
            if (record.offset() < end.get(p)) {
              out(record, out);
              polled++;
            }
          }
          if (polled > 0) {
            lastProgress = System.nanoTime();
          } else if (System.nanoTime() - lastProgress > STALLED.toNanos()) {
            throw new IllegalStateException(
                "Reading the dead letters of Kafka topic '"
                    + topic
                    + "' at "
                    + cluster.bootstrapServers()
                    + " made no progress for "
                    + STALLED.toMinutes()
                    + " minutes (positions "
                    + positions(consumer, end)
                    + "); check that the broker is up, and run the replay again");
          }
        }
      }
    }

    private List<TopicPartition> partitionsOf(
        KafkaConsumer<byte[], byte[]> consumer, String topic) {
      List<PartitionInfo> found = consumer.partitionsFor(topic);
      if (found == null || found.isEmpty()) {
        // It existed when the run was prepared: deleted since.
        throw new IllegalStateException(
            "Kafka topic '"
                + topic
                + "' no longer exists at "
                + cluster.bootstrapServers()
                + "; its dead letters cannot be replayed");
      }
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : found) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      return partitions;
    }

    /**
     * Whether every partition's position is at its end offset; a partition leaves the assignment
     * once there, so records written after the read started are not fetched.
     */
    private static boolean reachedEnd(
        KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
      List<TopicPartition> open = new ArrayList<>();
      for (TopicPartition p : consumer.assignment()) {
        if (consumer.position(p) < end.get(p)) {
          open.add(p);
        }
      }
      if (open.size() < consumer.assignment().size()) {
        consumer.assign(open);
      }
      return open.isEmpty();
    }

    private static String positions(
        KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
      StringBuilder s = new StringBuilder();
      for (TopicPartition p : consumer.assignment()) {
        s.append(s.length() > 0 ? ", " : "")
            .append(p.partition())
            .append(": ")
            .append(consumer.position(p))
            .append(" of ")
            .append(end.get(p));
      }
      return s.toString();
    }

    /** One record: its dead letter, or a dead letter saying where it is and what is wrong. */
    private void out(ConsumerRecord<byte[], byte[]> record, MultiOutputReceiver out) {
      String where =
          "the record at topic "
              + record.topic()
              + ", partition "
              + record.partition()
              + ", offset "
              + record.offset();
      byte[] value = record.value();
      if (value == null) {
        out.get(RawRecords.DEAD_LETTERS)
            .output(notADeadLetter(where, "it has no value (a tombstone)", ""));
        return;
      }
      String text = RawRecords.decode(decoder, value, 0, value.length, invalidAt);
      if (text == null) {
        out.get(RawRecords.DEAD_LETTERS)
            .output(
                DeadLetter.of(
                    DeadLetter.Stage.READ,
                    ReadDeadLetters.SOURCE,
                    RawRecords.notUtf8(where, value, invalidAt[0], "value"),
                    RawRecords.escaped(value, 0, value.length)));
        return;
      }
      try {
        out.get(ReadDeadLetters.DEAD_LETTERS).output(JsonLines.deadLetterOf(text));
      } catch (IllegalArgumentException e) {
        out.get(RawRecords.DEAD_LETTERS).output(notADeadLetter(where, e.getMessage(), text));
      }
    }

    private static DeadLetter notADeadLetter(String where, String problem, String value) {
      return DeadLetter.of(
          DeadLetter.Stage.READ,
          ReadDeadLetters.SOURCE,
          where
              + " is not a dead letter of this job ("
              + problem
              + "); replay only the topic the job writes its dead letters to",
          value);
    }
  }
}
