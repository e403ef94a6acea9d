package dev.customer360.transforms;

import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.JsonLines;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** The outputs as JSON lines, counted on the way ({@code engagements_out}, {@code <source>_dead_lettered}). */
public final class FormatOutputs {
  private FormatOutputs() {}

  /** Engagements as JSON lines. */
  public static PTransform<PCollection<Engagement>, PCollection<String>> engagements() {
    return new PTransform<PCollection<Engagement>, PCollection<String>>() {
      @Override
      public PCollection<String> expand(PCollection<Engagement> input) {
        return input.apply("EngagementToJson", ParDo.of(new EngagementToJsonFn()));
      }
    };
  }

  /** Customer profiles as JSON lines. */
  public static PTransform<PCollection<CustomerProfile>, PCollection<String>> profiles() {
    return new PTransform<PCollection<CustomerProfile>, PCollection<String>>() {
      @Override
      public PCollection<String> expand(PCollection<CustomerProfile> input) {
        return input.apply("ProfileToJson", ParDo.of(new ProfileToJsonFn()));
      }
    };
  }

  /** Dead letters as JSON lines. */
  public static PTransform<PCollection<DeadLetter>, PCollection<String>> deadLetters() {
    return new PTransform<PCollection<DeadLetter>, PCollection<String>>() {
      @Override
      public PCollection<String> expand(PCollection<DeadLetter> input) {
        return input.apply("DeadLetterToJson", ParDo.of(new DeadLetterToJsonFn()));
      }
    };
  }

  static final class EngagementToJsonFn extends DoFn<Engagement, String> {
    private final Counter out = Metrics.counter(FormatOutputs.class, "engagements_out");

    @ProcessElement
    public void process(@Element Engagement e, OutputReceiver<String> receiver) {
      out.inc();
      receiver.output(JsonLines.engagement(e));
    }
  }

  static final class ProfileToJsonFn extends DoFn<CustomerProfile, String> {
    private final Counter out = Metrics.counter(FormatOutputs.class, "profiles_out");

    @ProcessElement
    public void process(@Element CustomerProfile p, OutputReceiver<String> receiver) {
      out.inc();
      receiver.output(JsonLines.profile(p));
    }
  }

  static final class DeadLetterToJsonFn extends DoFn<DeadLetter, String> {
    private transient Map<String, Counter> bySource;

    @Setup
    public void setup() {
      bySource = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element DeadLetter d, OutputReceiver<String> receiver) {
      bySource
          .computeIfAbsent(
              d.source(), s -> Metrics.counter(FormatOutputs.class, s + "_dead_lettered"))
          .inc();
      receiver.output(JsonLines.deadLetter(d));
    }
  }
}
