package dev.customer360.pipeline.tools;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Loads raw records into a topic and reads a topic back, for {@code scripts/kafka-local.sh}.
 *
 * <pre>
 * KafkaTool produce BOOTSTRAP TOPIC FILE...      one record per line (blank lines skipped)
 * KafkaTool produce BOOTSTRAP TOPIC:N FILE...    the same, all into partition N
 * KafkaTool consume BOOTSTRAP TOPIC SECONDS      prints key TAB value until quiet for SECONDS
 * KafkaTool lag BOOTSTRAP GROUP TOPIC...         prints "epoch-millis lag" each second until killed
 * KafkaTool topics BOOTSTRAP PARTITIONS TOPIC...  creates the topics that do not exist yet and
 *                                                 adds partitions to those with fewer
 * </pre>
 */
public final class KafkaTool {
  private KafkaTool() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 4 && args[0].equals("produce")) {
      produce(args[1], args[2], List.of(args).subList(3, args.length));
    } else if (args.length == 4 && args[0].equals("consume")) {
      consume(args[1], args[2], Integer.parseInt(args[3]));
    } else if (args.length >= 4 && args[0].equals("lag")) {
      lag(args[1], args[2], List.of(args).subList(3, args.length));
    } else if (args.length >= 4 && args[0].equals("topics")) {
      createTopics(args[1], Integer.parseInt(args[2]), List.of(args).subList(3, args.length));
    } else {
      System.err.println(
          "usage: KafkaTool produce BOOTSTRAP TOPIC[:PARTITION] FILE..."
              + " | consume BOOTSTRAP TOPIC SECONDS | lag BOOTSTRAP GROUP TOPIC..."
              + " | topics BOOTSTRAP PARTITIONS TOPIC...");
      System.exit(2);
    }
  }

  private static void produce(String bootstrap, String target, List<String> files)
      throws Exception {
    // Topic names cannot contain ':', so TOPIC:N names a partition unambiguously.
    String topic = target.contains(":") ? target.substring(0, target.indexOf(':')) : target;
    Integer partition =
        target.contains(":") ? Integer.valueOf(target.substring(target.indexOf(':') + 1)) : null;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20);
    long sent = 0;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (String file : files) {
        for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            producer.send(new ProducerRecord<>(topic, partition, null, line)).get();
            sent++;
          }
        }
      }
    }
    System.out.println("produced " + sent + " records to " + topic);
  }

  /**
   * Creates the topics with PARTITIONS partitions each (replication 1: the local broker), so a job
   * and a reader can start before the first record; an existing topic keeps its partitions.
   */
  private static void createTopics(String bootstrap, int partitions, List<String> topics)
      throws InterruptedException, ExecutionException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          topics.stream()
              .filter(t -> !existing.contains(t))
              .map(t -> new NewTopic(t, partitions, (short) 1))
              .collect(Collectors.toList());
      admin.createTopics(missing).all().get();
      Map<String, NewPartitions> grow = new TreeMap<>();
      admin
          .describeTopics(topics.stream().filter(existing::contains).collect(Collectors.toList()))
          .allTopicNames()
          .get()
          .forEach(
              (topic, description) -> {
                if (description.partitions().size() < partitions) {
                  grow.put(topic, NewPartitions.increaseTo(partitions));
                }
              });
      admin.createPartitions(grow).all().get();
      System.out.println(
          "created "
              + missing.size()
              + " topic(s) of "
              + partitions
              + " partitions; grew "
              + grow.size()
              + " to "
              + partitions);
    }
  }

  /**
   * A consumer of committed records from the start of a topic, in a group of its own ({@code
   * prefix} and a random id), so it never moves a job's offsets.
   */
  static Properties committedReader(String bootstrap, String prefix) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return p;
  }

  private static void consume(String bootstrap, String topic, int quietSeconds) {
    Properties p = committedReader(bootstrap, "kafka-tool-");
    long count = 0;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      long quietUntil = System.nanoTime() + Duration.ofSeconds(quietSeconds).toNanos();
      while (System.nanoTime() < quietUntil) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          System.out.println(r.key() + "\t" + r.value());
          count++;
          quietUntil = System.nanoTime() + Duration.ofSeconds(quietSeconds).toNanos();
        }
      }
    }
    System.err.println(count + " records in " + topic);
  }

  /**
   * Prints the consumer group's lag each second until killed: records in the topics' partitions
   * past the offsets the group committed (a partition without a commit counts from its first
   * record). A Beam Kafka read with {@code commitOffsetsInFinalize} commits as Flink completes
   * checkpoints, so this lag is what a restore would read again; it grows under backpressure.
   */
  private static void lag(String bootstrap, String group, List<String> topics)
      throws InterruptedException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      while (true) {
        long started = System.currentTimeMillis();
        try {
          System.out.println(started + " " + lag(admin, group, topics));
        } catch (ExecutionException e) {
          // A slow or restarting broker: skip this sample, keep sampling.
          System.err.println(started + " no sample: " + e.getCause());
        }
        Thread.sleep(Math.max(0, 1000 - (System.currentTimeMillis() - started)));
      }
    }
  }

  static long lag(Admin admin, String group, List<String> topics)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    for (TopicDescription t : admin.describeTopics(topics).allTopicNames().get().values()) {
      for (TopicPartitionInfo i : t.partitions()) {
        latest.put(new TopicPartition(t.name(), i.partition()), OffsetSpec.latest());
        earliest.put(new TopicPartition(t.name(), i.partition()), OffsetSpec.earliest());
      }
    }
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    var ends = admin.listOffsets(latest).all().get();
    var starts = admin.listOffsets(earliest).all().get();
    long lag = 0;
    for (TopicPartition tp : latest.keySet()) {
      OffsetAndMetadata c = committed.get(tp);
      lag += ends.get(tp).offset() - (c != null ? c.offset() : starts.get(tp).offset());
    }
    return lag;
  }
}
