package dev.customer360.io.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How to reach the Kafka cluster: bootstrap servers plus the extra client settings (SASL, SSL...)
 * given with {@code --kafkaProperty} or {@code --kafkaPropertiesFile}. {@link #toString()} masks
 * every setting value, so it is safe in logs.
 */
public final class KafkaCluster implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;
  private final TreeMap<String, String> properties;

  public KafkaCluster(String bootstrapServers, Map<String, String> properties) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          "--bootstrapServers is required with Kafka, e.g. --bootstrapServers=localhost:9092");
    }
    this.bootstrapServers = bootstrapServers;
    this.properties = new TreeMap<>(properties);
  }

  /** Client settings whose values are secrets (SASL JAAS, SSL passwords, tokens...). */
  private static final java.util.regex.Pattern SECRET_KEY =
      java.util.regex.Pattern.compile("(?i).*(password|secret|jaas|token|credential).*");

  public static KafkaCluster from(KafkaOptions options) {
    Map<String, String> props = new HashMap<>();
    if (options.getKafkaPropertiesFile() != null && !options.getKafkaPropertiesFile().isBlank()) {
      Path file = Path.of(options.getKafkaPropertiesFile());
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("--kafkaPropertiesFile=" + file + " does not exist");
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--kafkaPropertiesFile=" + file + " cannot be read: " + e.getMessage());
      }
      p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
    }
    for (String kv :
        options.getKafkaProperty() == null ? List.<String>of() : options.getKafkaProperty()) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--kafkaProperty must be key=value, e.g. --kafkaProperty=security.protocol=SASL_SSL;"
                + " got a value without '=' for key "
                + kv.split("=")[0].replaceAll("\\s.*", ""));
      }
      String key = kv.substring(0, eq).trim();
      if (SECRET_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "--kafkaProperty="
                + key
                + "=…: a secret on the command line is shown wherever the runner shows the job's"
                + " options (Flink's web UI and REST API); put it in --kafkaPropertiesFile instead");
      }
      props.put(key, kv.substring(eq + 1));
    }
    return new KafkaCluster(options.getBootstrapServers(), props);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The extra client settings, for consumers, producers and admin clients alike. */
  public Map<String, Object> properties() {
    return new HashMap<>(properties);
  }

  /**
   * Fails now, naming the servers and what to check, if the cluster cannot be reached within a few
   * seconds or one of {@code topics} does not exist.
   */
  public void checkReachable(Collection<String> topics, String topicsHint) {
    checkReachable(
        topics,
        topic ->
            "Kafka topic '"
                + topic
                + "' does not exist at "
                + bootstrapServers
                + "; create it or check "
                + topicsHint);
  }

  /**
   * Fails now if the cluster cannot be reached or {@code topic}, one a run wrote and this one reads
   * back, does not exist; the message ends with {@code whatToDo} (which names the option).
   */
  public void checkHoldsTopic(String topic, String whatToDo) {
    checkReachable(
        List.of(topic),
        missing ->
            "Kafka topic '"
                + missing
                + "' does not exist at "
                + bootstrapServers
                + "; "
                + whatToDo);
  }

  private void checkReachable(
      Collection<String> topics, java.util.function.Function<String, String> missingTopic) {
    Map<String, Object> config = properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    try (Admin admin = Admin.create(config)) {
      admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
      if (!topics.isEmpty()) {
        Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        for (String topic : topics) {
          if (!existing.contains(topic)) {
            throw new IllegalArgumentException(missingTopic.apply(topic));
          }
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalArgumentException(
          "Cannot reach Kafka at "
              + bootstrapServers
              + " ("
              + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
              + "). Check that the broker is running and --bootstrapServers, and any"
              + " --kafkaProperty security settings",
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking Kafka at " + bootstrapServers, e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IllegalArgumentException(
          "Cannot use Kafka at "
              + bootstrapServers
              + ": "
              + e.getMessage()
              + ". Check --bootstrapServers and --kafkaProperty settings",
          e);
    }
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(bootstrapServers);
    properties.keySet().forEach(k -> s.append(' ').append(k).append("=****"));
    return s.toString();
  }

  /**
   * How many records of {@code topics} expired (retention) after {@code groupId} last committed and
   * before it read them: a consumer would silently start again from the earliest offset left. Said
   * on the console; counted in the run's summary.
   */
  public long expiredSinceLastCommit(String groupId, Collection<String> topics) {
    long expired = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(groupId)) {
      for (String topic : topics) {
        Set<TopicPartition> partitions = new java.util.HashSet<>();
        consumer
            .partitionsFor(topic, java.time.Duration.ofSeconds(10))
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        Map<TopicPartition, OffsetAndMetadata> committed =
            consumer.committed(partitions, java.time.Duration.ofSeconds(10));
        Map<TopicPartition, Long> earliest =
            consumer.beginningOffsets(partitions, java.time.Duration.ofSeconds(10));
        for (TopicPartition p : partitions) {
          OffsetAndMetadata c = committed.get(p);
          long first = earliest.getOrDefault(p, 0L);
          if (c != null && c.offset() < first) {
            System.err.printf(
                "warning: %d record(s) of %s expired before consumer group '%s' read them (its"
                    + " offset %d is below the topic's earliest %d): they are lost to this job;"
                    + " raise the topic's retention.ms or run the job more often%n",
                first - c.offset(), p, groupId, c.offset(), first);
            expired += first - c.offset();
          }
        }
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IllegalArgumentException(
          "Cannot read the committed offsets of consumer group '"
              + groupId
              + "' at "
              + bootstrapServers
              + ": "
              + e.getMessage(),
          e);
    }
    return expired;
  }

  /**
   * Commits, for {@code groupId}, the position after the last offset read of each partition ({@code
   * topic -> partition -> last offset read}).
   */
  public void commit(String groupId, Map<String, Map<Integer, Long>> lastOffsetRead) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    lastOffsetRead.forEach(
        (topic, partitions) ->
            partitions.forEach(
                (partition, last) ->
                    offsets.put(
                        new TopicPartition(topic, partition), new OffsetAndMetadata(last + 1))));
    if (offsets.isEmpty()) {
      return;
    }
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(groupId)) {
      consumer.commitSync(offsets, java.time.Duration.ofSeconds(30));
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IllegalStateException(
          "The run succeeded but consumer group '"
              + groupId
              + "' could not commit its offsets at "
              + bootstrapServers
              + " ("
              + e.getMessage()
              + "); the next run reads these records again (sinks keyed by event_id stay"
              + " exactly-once; files and topics get them twice)",
          e);
    }
  }

  /**
   * A consumer outside any consumer group, committing nothing: for a read that assigns partitions
   * itself. It reads committed records only, so an aborted transaction's records are skipped.
   */
  KafkaConsumer<byte[], byte[]> consumerWithoutGroup() {
    Map<String, Object> config = properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaConsumer<byte[], byte[]> consumer(String groupId) {
    return new KafkaConsumer<>(
        consumerConfig(groupId), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private Map<String, Object> consumerConfig(String groupId) {
    Map<String, Object> config = properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    return config;
  }

  /**
   * Creates KafkaIO's consumers with this cluster's extra settings added at creation: settings
   * given to KafkaIO's config would be shown in its display data (runners' UIs), secrets included.
   */
  public SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> consumerFactory() {
    TreeMap<String, String> extra = properties;
    return config -> new KafkaConsumer<>(with(config, extra));
  }

  /**
   * Creates KafkaIO's producers with this cluster's extra settings (see {@link #consumerFactory}).
   */
  public <K, V> SerializableFunction<Map<String, Object>, Producer<K, V>> producerFactory() {
    TreeMap<String, String> extra = properties;
    return config -> new KafkaProducer<>(with(config, extra));
  }

  /**
   * A transactional producer of keyed strings for the exactly-once sink: the sink's producer
   * settings, this cluster's extra settings, and a transaction timeout that outlasts the write of a
   * checkpoint's worth of records under backpressure.
   */
  Producer<String, String> transactionalProducer(String transactionalId) {
    Map<String, Object> config = with(WriteKafkaRecords.producerConfig(this), properties);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 300_000);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /**
   * The offset {@code groupId} committed on {@code partition}, or null; read {@code
   * read_committed}, so an offset a transaction is still committing is waited for.
   */
  OffsetAndMetadata committedOffset(String groupId, TopicPartition partition) {
    Map<String, Object> config = consumerConfig(groupId);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return consumer.committed(Set.of(partition)).get(partition);
    }
  }

  private static Map<String, Object> with(Map<String, Object> config, Map<String, String> extra) {
    Map<String, Object> all = new HashMap<>(config);
    all.putAll(extra);
    return all;
  }
}
