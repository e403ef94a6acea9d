package dev.customer360.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A real single-node KRaft Kafka broker for a test class, with produce/consume helpers. */
public final class KafkaTestBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  public KafkaTestBroker() throws Exception {
    cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    cluster.format();
    cluster.startup();
    // The test kit waits for the broker without a deadline.
    CompletableFuture<Void> ready =
        CompletableFuture.runAsync(
            () -> {
              try {
                cluster.waitForReadyBrokers();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      ready.get(120, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      cluster.close();
      throw new IllegalStateException("the test Kafka broker was not ready within 120 s", e);
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  public void createTopics(int partitions, String... topics) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      List<NewTopic> newTopics = new ArrayList<>();
      Map<TopicPartition, OffsetSpec> everyPartition = new HashMap<>();
      for (String t : topics) {
        newTopics.add(new NewTopic(t, partitions, (short) 1));
        for (int i = 0; i < partitions; i++) {
          everyPartition.put(new TopicPartition(t, i), OffsetSpec.latest());
        }
      }
      admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
      // A new partition shows a leader in metadata a moment before its broker acts as one; an
      // idempotent write in that moment can fail with NOT_LEADER and then loop on out-of-order
      // sequence errors until its delivery timeout, losing the test's input. Listing offsets is
      // answered by the leader itself; right after creation it may not know the topic yet.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          admin.listOffsets(everyPartition).all().get(60, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "the new topics " + List.of(topics) + " had no leader within 60 s", e);
          }
          Thread.sleep(100);
        }
      }
    }
  }

  /** Produces raw bytes as values, e.g. records that are not UTF-8. */
  void produceBytes(String topic, List<byte[]> values) {
    send(topic, values, ByteArraySerializer.class);
  }

  void produce(String topic, List<String> values) {
    send(topic, values, StringSerializer.class);
  }

  /** Sends every value and fails if any one was not written: a test's input is never short. */
  private <V> void send(String topic, List<V> values, Class<?> valueSerializer) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, valueSerializer.getName());
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<String, V> producer = new KafkaProducer<>(p)) {
      for (V v : values) {
        sent.add(producer.send(new ProducerRecord<>(topic, v)));
      }
      producer.flush();
      for (int i = 0; i < sent.size(); i++) {
        sent.get(i).get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "the test could not write its input to " + topic + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + topic, e);
    }
  }

  /**
   * Reads {@code topic} from the start (committed records only) until {@code expected} records
   * arrived and nothing more comes for {@code quiet}, or {@code timeout} passes.
   */
  public List<ConsumerRecord<String, String>> consume(
      String topic, int expected, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < deadline && System.nanoTime() < quietUntil) {
        int before = records.size();
        consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        if (records.size() >= expected
            && records.size() == before
            && quietUntil == Long.MAX_VALUE) {
          quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        }
      }
    }
    return records;
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
