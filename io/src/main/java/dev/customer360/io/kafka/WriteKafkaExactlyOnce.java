package dev.customer360.io.kafka;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to a topic exactly once, in Kafka transactions that a {@code read_committed}
 * reader sees whole or not at all, across restores from checkpoints.
 *
 * <p>How: each record gets a place in a sequence ({@link SequenceRecords}: an epoch drawn at random
 * by each instance of the step, so a restored job never reuses a number an earlier attempt gave to
 * another record, and a counter). The writer is keyed by shard, so one task owns a shard's
 * transactional producer at a time, and needs stable input: on Flink it writes only what a
 * completed checkpoint holds, and after a restore it is handed the same records, numbers included,
 * again. Each bundle is one transaction per shard, and the transaction also commits, as the
 * metadata of the offset of the sink's consumer group on partition {@code shard} of the topic, how
 * far each epoch got ({@link CommittedSequences}); records the shard already committed are skipped.
 *
 * <p>What it does not cover: a job started afresh (not restored) writes everything it reads, as any
 * at-least-once source would have it; a job restored from an older savepoint than its latest
 * checkpoint can write the records after that savepoint again. Neither loses a record.
 */
public final class WriteKafkaExactlyOnce
    extends PTransform<PCollection<KV<String, String>>, PDone> {
  private static final int SHARDS = 1;

  private final KafkaCluster cluster;
  private final String topic;
  private final String sinkGroupId;

  public WriteKafkaExactlyOnce(KafkaCluster cluster, String topic, String sinkGroupId) {
    this.cluster = cluster;
    this.topic = topic;
    this.sinkGroupId = sinkGroupId;
  }

  @Override
  public PDone expand(PCollection<KV<String, String>> records) {
    records
        // The writer is stateful: in the global window no record is ever too late for it.
        .apply("InOneWindow", Window.into(new GlobalWindows()))
        .apply("Sequence", ParDo.of(new SequenceRecords(SHARDS)))
        .setCoder(KvCoder.of(VarIntCoder.of(), new SequencedRecord.RecordCoder()))
        .apply(
            "WriteInTransactions", ParDo.of(new WriteInTransactions(cluster, topic, sinkGroupId)));
    return PDone.in(records.getPipeline());
  }

  /** Numbers each record within this instance's epoch and gives it its shard. */
  static final class SequenceRecords
      extends DoFn<KV<String, String>, KV<Integer, SequencedRecord>> {
    private final int shards;
    private transient long epoch;
    private transient long next;

    SequenceRecords(int shards) {
      this.shards = shards;
    }

    @Setup
    public void setup() {
      epoch = new SecureRandom().nextLong();
      next = 0;
    }

    @ProcessElement
    public void process(
        @Element KV<String, String> record, OutputReceiver<KV<Integer, SequencedRecord>> out) {
      int shard = record.getKey() == null ? 0 : Math.floorMod(record.getKey().hashCode(), shards);
      out.output(
          KV.of(shard, new SequencedRecord(epoch, next++, record.getKey(), record.getValue())));
    }
  }

  /**
   * Writes each bundle's records of a shard in one transaction, skipping those committed before.
   */
  static final class WriteInTransactions extends DoFn<KV<Integer, SequencedRecord>, Void> {
    /**
     * The shards' writers of this JVM by transactional id. A runner may hand one key's bundles to
     * several instances of this step in turn (the DirectRunner does, one per thread); a producer
     * per instance would fence the others. An instance takes over a shard's writer (a fresh one,
     * which aborts what the old one left open and reads the shard's commits again) the first time
     * it writes the shard, and uses that one from then on: so a task restarted in the same JVM
     * never continues a failed attempt's transaction.
     */
    private static final Map<String, Owned> WRITERS = new HashMap<>();

    private final KafkaCluster cluster;
    private final String topic;
    private final String sinkGroupId;
    private final Counter skipped = Metrics.counter("kafka_exactly_once", "replays_skipped");

    // Declared, never used: a step with state is keyed, so the runner gives each shard one task.
    @StateId("keyedByShard")
    private final StateSpec<ValueState<Long>> keyedByShard = StateSpecs.value(VarLongCoder.of());

    private transient Object instance;
    private transient Set<String> taken;
    private transient Map<String, ShardWriter> inBundle;

    WriteInTransactions(KafkaCluster cluster, String topic, String sinkGroupId) {
      this.cluster = cluster;
      this.topic = topic;
      this.sinkGroupId = sinkGroupId;
    }

    @Setup
    public void setup() {
      instance = new Object();
      taken = new HashSet<>();
    }

    @StartBundle
    public void startBundle() {
      inBundle = new HashMap<>();
    }

    @RequiresStableInput
    @ProcessElement
    public void process(@Element KV<Integer, SequencedRecord> record) {
      String transactionalId = sinkGroupId + "-" + record.getKey();
      ShardWriter writer =
          inBundle.computeIfAbsent(transactionalId, id -> writer(id, record.getKey()));
      try {
        if (!writer.send(record.getValue())) {
          skipped.inc();
        }
      } catch (RuntimeException e) {
        abandon();
        throw e;
      }
    }

    private ShardWriter writer(String transactionalId, int shard) {
      synchronized (WRITERS) {
        Owned owned = WRITERS.get(transactionalId);
        if (owned == null || (owned.owner != instance && !taken.contains(transactionalId))) {
          if (owned != null) {
            owned.writer.close();
          }
          owned =
              new Owned(
                  instance, new ShardWriter(cluster, topic, sinkGroupId, transactionalId, shard));
          WRITERS.put(transactionalId, owned);
        }
        taken.add(transactionalId);
        return owned.writer;
      }
    }

    @FinishBundle
    public void finishBundle() {
      try {
        for (ShardWriter writer : inBundle.values()) {
          writer.commit();
        }
      } catch (RuntimeException e) {
        abandon();
        throw e;
      }
      inBundle.clear();
    }

    /**
     * After a failure: drop this bundle's writers; the next attempt's producers abort what was
     * open.
     */
    private void abandon() {
      synchronized (WRITERS) {
        inBundle.forEach(
            (id, writer) -> {
              writer.close();
              Owned owned = WRITERS.get(id);
              if (owned != null && owned.writer == writer) {
                WRITERS.remove(id);
              }
            });
      }
      inBundle.clear();
    }

    @Teardown
    public void teardown() {
      synchronized (WRITERS) {
        WRITERS
            .values()
            .removeIf(
                owned -> {
                  if (owned.owner == instance) {
                    owned.writer.close();
                    return true;
                  }
                  return false;
                });
      }
    }

    private static final class Owned {
      final Object owner;
      final ShardWriter writer;

      Owned(Object owner, ShardWriter writer) {
        this.owner = owner;
        this.writer = writer;
      }
    }
  }

  /** One shard's transactional producer and what the shard has committed. */
  static final class ShardWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);

    private final String topic;
    private final String group;
    private final TopicPartition commitPartition;
    private final Producer<String, String> producer;
    private CommittedSequences committed;
    private CommittedSequences pending;
    private long skippedInTransaction;
    private final AtomicReference<Exception> failed = new AtomicReference<>();

    ShardWriter(
        KafkaCluster cluster, String topic, String sinkGroupId, String transactionalId, int shard) {
      this.topic = topic;
      this.group = sinkGroupId;
      this.commitPartition = new TopicPartition(topic, shard);
      this.producer = cluster.transactionalProducer(transactionalId);
      // Fences any earlier producer of this shard and aborts its open transaction; only then are
      // the shard's committed sequences final.
      producer.initTransactions();
      OffsetAndMetadata last = cluster.committedOffset(sinkGroupId, commitPartition);
      this.committed = CommittedSequences.parse(last == null ? null : last.metadata());
    }

    /** Sends the record unless the shard committed it before; false if skipped. */
    boolean send(SequencedRecord record) {
      if (committed.holds(record.epoch, record.sequence)) {
        skippedInTransaction++;
        return false;
      }
      if (pending == null) {
        producer.beginTransaction();
        pending = committed.copy();
      }
      producer.send(
          new ProducerRecord<>(topic, record.key, record.value),
          (metadata, e) -> {
            if (e != null) {
              failed.compareAndSet(null, e);
            }
          });
      pending.add(record.epoch, record.sequence);
      return true;
    }

    void commit() {
      if (skippedInTransaction > 0) {
        LOG.info(
            "{}: skipped {} record(s) an earlier attempt already committed",
            commitPartition,
            skippedInTransaction);
        skippedInTransaction = 0;
      }
      if (pending == null) {
        return;
      }
      producer.flush();
      Exception e = failed.get();
      if (e != null) {
        throw new IllegalStateException(
            "Writing to Kafka topic " + topic + " failed: " + e.getMessage(), e);
      }
      producer.sendOffsetsToTransaction(
          Map.of(commitPartition, new OffsetAndMetadata(pending.offset(), pending.encode())),
          new ConsumerGroupMetadata(group));
      producer.commitTransaction();
      committed = pending;
      pending = null;
    }

    void close() {
      try {
        producer.close(java.time.Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("closing the producer of {} after a failure", commitPartition, e);
      }
    }
  }
}
