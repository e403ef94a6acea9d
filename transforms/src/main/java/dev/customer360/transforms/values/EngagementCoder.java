package dev.customer360.transforms.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Compact, deterministic coder for {@link Engagement}: engagements cross every shuffle (dedup,
 * profile), so they avoid Java serialization.
 */
public final class EngagementCoder extends AtomicCoder<Engagement> {
  private static final EngagementCoder INSTANCE = new EngagementCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final InstantCoder INSTANT = InstantCoder.of();
  private static final VarIntCoder INT = VarIntCoder.of();

  public static EngagementCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(Engagement.class), INSTANCE);
  }

  private EngagementCoder() {}

  @Override
  public void encode(Engagement value, OutputStream out) throws IOException {
    STRING.encode(value.userId(), out);
    INSTANT.encode(value.engagementDatetime(), out);
    STRING.encode(value.engagementType(), out);
    STRING.encode(value.engagementSourceId(), out);
    INT.encode(value.engagementSeconds(), out);
    STRING.encode(value.eventId(), out);
    // +1: a first delivery (-1) takes one byte instead of five.
    INT.encode(value.replacedSeconds() + 1, out);
    STRING.encode(value.source(), out);
  }

  @Override
  public Engagement decode(InputStream in) throws IOException {
    return Engagement.decoded(
        STRING.decode(in),
        INSTANT.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        INT.decode(in),
        STRING.decode(in),
        INT.decode(in) - 1,
        STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
