package dev.customer360.pipeline.tools;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Loads raw records into a topic and reads a topic back, for {@code scripts/kafka-local.sh}.
 *
 * <pre>
 * KafkaTool produce BOOTSTRAP TOPIC FILE...      one record per line (blank lines skipped)
 * KafkaTool produce BOOTSTRAP TOPIC:N FILE...    the same, all into partition N
 * KafkaTool consume BOOTSTRAP TOPIC SECONDS      prints key TAB value until quiet for SECONDS
 * </pre>
 */
public final class KafkaTool {
  private KafkaTool() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 4 && args[0].equals("produce")) {
      produce(args[1], args[2], List.of(args).subList(3, args.length));
    } else if (args.length == 4 && args[0].equals("consume")) {
      consume(args[1], args[2], Integer.parseInt(args[3]));
    } else {
      System.err.println(
          "usage: KafkaTool produce BOOTSTRAP TOPIC[:PARTITION] FILE..."
              + " | consume BOOTSTRAP TOPIC SECONDS");
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

  private static void consume(String bootstrap, String topic, int quietSeconds) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-tool-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
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
}
