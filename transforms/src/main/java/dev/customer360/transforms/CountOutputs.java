package dev.customer360.transforms;

import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * Counts the outputs on their way to the sinks, for the run summary and the runner's metrics:
 * {@code engagements_out}, {@code profiles_out}, {@code <source>_dead_lettered}, and per stage
 * {@code <source>_dead_lettered_<stage>}.
 */
public final class CountOutputs {
  private CountOutputs() {}

  public static ParDo.SingleOutput<Engagement, Engagement> engagements() {
    return ParDo.of(new CountFn<Engagement>(MetricNames.ENGAGEMENTS_OUT));
  }

  /**
   * The distinct engagements as they leave dedup ({@code engagements_distinct}, every sink must
   * account for each), not counting a stream's corrections of them.
   */
  public static ParDo.SingleOutput<Engagement, Engagement> distinctEngagements() {
    return ParDo.of(new CountDistinctFn());
  }

  /** The engagements handed to the Kafka sink. */
  public static ParDo.SingleOutput<Engagement, Engagement> engagementsToKafka() {
    return ParDo.of(new CountFn<Engagement>(MetricNames.KAFKA_ENGAGEMENTS_OUT));
  }

  public static ParDo.SingleOutput<CustomerProfile, CustomerProfile> profiles() {
    return ParDo.of(new CountFn<CustomerProfile>(MetricNames.PROFILES_OUT));
  }

  public static ParDo.SingleOutput<DeadLetter, DeadLetter> deadLetters() {
    return ParDo.of(new CountDeadLettersFn());
  }

  static final class CountFn<T> extends DoFn<T, T> {
    private final Counter counter;

    CountFn(String name) {
      this.counter = Metrics.counter(CountOutputs.class, name);
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      counter.inc();
      out.output(element);
    }
  }

  static final class CountDistinctFn extends DoFn<Engagement, Engagement> {
    private final Counter distinct =
        Metrics.counter(CountOutputs.class, MetricNames.ENGAGEMENTS_DISTINCT);

    @ProcessElement
    public void process(@Element Engagement e, OutputReceiver<Engagement> out) {
      if (!e.isCorrection()) {
        distinct.inc();
      }
      out.output(e);
    }
  }

  static final class CountDeadLettersFn extends DoFn<DeadLetter, DeadLetter> {
    private transient Map<String, Counter> byName;

    @Setup
    public void setup() {
      byName = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element DeadLetter d, OutputReceiver<DeadLetter> out) {
      counter(MetricNames.deadLettered(d.source())).inc();
      counter(MetricNames.deadLettered(d.source(), d.stage())).inc();
      out.output(d);
    }

    private Counter counter(String name) {
      return byName.computeIfAbsent(name, n -> Metrics.counter(CountOutputs.class, n));
    }
  }
}
