package dev.customer360.io.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of KafkaIO's exactly-once sink, made to survive an attempt that died inside a
 * transaction.
 *
 * <p>KafkaIO keeps its transactional producers in a JVM-wide cache across attempts, and puts a
 * producer back even when the attempt failed between beginning and committing a transaction (an
 * interrupted task, a failed state read). On Flink the restarted task runs in the same JVM, gets
 * that producer, and every attempt fails at once with "Invalid transition attempted from state
 * IN_TRANSACTION to state IN_TRANSACTION": the job loops in restarts and publishes nothing. Here a
 * transaction left open is aborted before the next one begins: its records were never visible to
 * {@code read_committed} readers, and the new attempt writes them again from the restored state. If
 * the abort itself fails (the producer was fenced or hit a fatal error), a new producer with the
 * same transactional id takes over; initializing it aborts the old transaction on the broker.
 */
final class TransactionalProducer<K, V> implements Producer<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalProducer.class);

  private final Supplier<Producer<K, V>> create;
  private final String transactionalId;
  private Producer<K, V> producer;
  private boolean inTransaction;

  TransactionalProducer(Supplier<Producer<K, V>> create, String transactionalId) {
    this.create = create;
    this.transactionalId = transactionalId;
    this.producer = create.get();
  }

  @Override
  public void initTransactions() {
    producer.initTransactions();
  }

  @Override
  public void beginTransaction() {
    if (inTransaction) {
      abortLeftOpen();
    }
    producer.beginTransaction();
    inTransaction = true;
  }

  private void abortLeftOpen() {
    LOG.warn(
        "{}: a failed attempt left a transaction open; aborting it (its records are written again"
            + " by this attempt)",
        transactionalId);
    try {
      producer.abortTransaction();
    } catch (KafkaException | IllegalStateException e) {
      producer.close(Duration.ZERO);
      producer = create.get();
      producer.initTransactions();
    }
    inTransaction = false;
  }

  @Override
  public void commitTransaction() {
    producer.commitTransaction();
    inTransaction = false;
  }

  @Override
  public void abortTransaction() {
    producer.abortTransaction();
    inTransaction = false;
  }

  @Override
  @SuppressWarnings("deprecation") // KafkaIO 2.62 calls the group-id form
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
    producer.sendOffsetsToTransaction(offsets, consumerGroupId);
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    producer.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
    return producer.send(record);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
    return producer.send(record, callback);
  }

  @Override
  public void flush() {
    producer.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return producer.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return producer.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return producer.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    producer.close();
  }

  @Override
  public void close(Duration timeout) {
    producer.close(timeout);
  }
}
