package dev.customer360.pipeline;

import static org.junit.Assert.assertEquals;

import dev.customer360.io.kafka.KafkaCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The exactly-once sink's producers, from {@link KafkaCluster#producerFactory}, against a real
 * broker: KafkaIO reuses a producer across attempts in one JVM, so the next attempt must be able to
 * begin a transaction where a failed one left its own open (a Flink restart after a lost
 * TaskManager looped on "Invalid transition … IN_TRANSACTION to IN_TRANSACTION" and published
 * nothing).
 */
@RunWith(JUnit4.class)
public class KafkaExactlyOnceProducerIT {
  private static KafkaTestBroker broker;

  @BeforeClass
  public static void start() throws Exception {
    broker = new KafkaTestBroker();
    broker.createTopics(1, "left-open", "fenced");
  }

  @AfterClass
  public static void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  private static Map<String, Object> transactional(String id) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
    return config;
  }

  private static Producer<String, String> sinkProducer(String transactionalId) {
    KafkaCluster cluster = new KafkaCluster(broker.bootstrapServers(), Map.of());
    return cluster.<String, String>producerFactory().apply(transactional(transactionalId));
  }

  private static List<String> committedValues(String topic, int expected) {
    return broker.consume(topic, expected, Duration.ofSeconds(60)).stream()
        .map(ConsumerRecord::value)
        .collect(Collectors.toList());
  }

  @Test
  public void anAttemptBeginsWhereAFailedOneLeftItsTransactionOpen() {
    try (Producer<String, String> producer = sinkProducer("c360-left-open")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("left-open", "k", "from the failed attempt"));
      producer.flush();
      // The attempt died here; the next one gets the same producer from KafkaIO's cache.
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("left-open", "k", "from the next attempt"));
      producer.commitTransaction();
    }
    assertEquals(List.of("from the next attempt"), committedValues("left-open", 1));
  }

  @Test
  public void aFencedProducerIsReplacedByANewOneWithTheSameTransactionalId() {
    try (Producer<String, String> producer = sinkProducer("c360-fenced")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("fenced", "k", "from the fenced attempt"));
      producer.flush();
      // Another instance with the same id takes over (a task that moved), fencing this one.
      try (KafkaProducer<String, String> other =
          new KafkaProducer<>(transactional("c360-fenced"))) {
        other.initTransactions();
      }
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("fenced", "k", "after the takeover"));
      producer.commitTransaction();
    }
    assertEquals(List.of("after the takeover"), committedValues("fenced", 1));
  }
}
