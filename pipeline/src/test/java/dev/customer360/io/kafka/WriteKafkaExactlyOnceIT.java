package dev.customer360.io.kafka;

import static org.junit.Assert.assertEquals;

import dev.customer360.pipeline.KafkaTestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The exactly-once Kafka sink against a real broker, read back {@code read_committed}: a run writes
 * every record once, and an attempt that replays records (as one restored from a checkpoint does,
 * with the records' sequence numbers) writes only those no earlier transaction committed.
 */
@RunWith(JUnit4.class)
public class WriteKafkaExactlyOnceIT {
  private static KafkaTestBroker broker;
  private static KafkaCluster cluster;

  @BeforeClass
  public static void start() throws Exception {
    broker = new KafkaTestBroker();
    broker.createTopics(2, "eos_run", "eos_replay");
    cluster = new KafkaCluster(broker.bootstrapServers(), Map.of());
  }

  @AfterClass
  public static void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  /** Each value and how many times the topic holds it. */
  private static Map<String, Long> valuesRead(String topic, int expected) {
    return broker.consume(topic, expected, Duration.ofSeconds(60)).stream()
        .collect(Collectors.groupingBy(ConsumerRecord::value, TreeMap::new, Collectors.counting()));
  }

  private static Map<String, Long> once(List<String> values) {
    return values.stream()
        .collect(Collectors.groupingBy(v -> v, TreeMap::new, Collectors.counting()));
  }

  @Test
  public void aRunWritesEveryRecordOnce() {
    List<KV<String, String>> records = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      records.add(KV.of("user-" + (i % 37), "record-" + i));
      values.add("record-" + i);
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(records))
        .apply(new WriteKafkaRecords(cluster, "eos_run", true, "eos-it-run"));
    p.run().waitUntilFinish();
    assertEquals(once(values), valuesRead("eos_run", 500));
  }

  private static KV<Integer, SequencedRecord> record(long epoch, long sequence) {
    return KV.of(0, new SequencedRecord(epoch, sequence, "k", "r-" + epoch + "-" + sequence));
  }

  /** Runs the writer over {@code records}, as an attempt handed them; returns replays skipped. */
  private static long attempt(List<KV<Integer, SequencedRecord>> records) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(
            Create.of(records)
                .withCoder(KvCoder.of(VarIntCoder.of(), new SequencedRecord.RecordCoder())))
        .apply(
            ParDo.of(
                new WriteKafkaExactlyOnce.WriteInTransactions(cluster, "eos_replay", "eos-it")));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long skipped = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("kafka_exactly_once", "replays_skipped"))
                    .build())
            .getCounters()) {
      skipped += c.getAttempted();
    }
    return skipped;
  }

  private static List<KV<Integer, SequencedRecord>> records(long epoch, int from, int to) {
    List<KV<Integer, SequencedRecord>> records = new ArrayList<>();
    for (int seq = from; seq < to; seq++) {
      records.add(record(epoch, seq));
    }
    return records;
  }

  @Test
  public void aReplayWritesOnlyWhatNoTransactionCommitted() {
    // The first attempt committed epoch 7's records 0-9, then failed.
    assertEquals(0, attempt(records(7, 0, 10)));

    // Restored: the checkpoint's records 0-14 of epoch 7 come again, then the new attempt's own.
    List<KV<Integer, SequencedRecord>> restored = records(7, 0, 15);
    restored.addAll(records(8, 0, 5));
    assertEquals(10, attempt(restored));

    // Restored again from an older checkpoint, after epoch 8 committed: nothing is new.
    List<KV<Integer, SequencedRecord>> older = records(7, 5, 15);
    older.addAll(records(8, 2, 5));
    assertEquals(13, attempt(older));

    List<String> expected = new ArrayList<>();
    records(7, 0, 15).forEach(r -> expected.add(r.getValue().value));
    records(8, 0, 5).forEach(r -> expected.add(r.getValue().value));
    assertEquals(once(expected), valuesRead("eos_replay", 20));
  }
}
