package dev.customer360.transforms.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Deterministic coder for {@link DeadLetter}. */
public final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
  private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final InstantCoder INSTANT = InstantCoder.of();
  private static final BooleanCoder BOOLEAN = BooleanCoder.of();
  private static final VarIntCoder VAR_INT = VarIntCoder.of();

  public static DeadLetterCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(DeadLetter.class), INSTANCE);
  }

  private DeadLetterCoder() {}

  @Override
  public void encode(DeadLetter value, OutputStream out) throws IOException {
    STRING.encode(value.id(), out);
    STRING.encode(value.source(), out);
    STRING.encode(value.error(), out);
    STRING.encode(value.payload(), out);
    BOOLEAN.encode(value.replayable(), out);
    INSTANT.encode(value.failedAt(), out);
    STRING.encode(value.stage, out);
    VAR_INT.encode(value.attempts(), out);
    STRING.encode(value.origin(), out);
  }

  @Override
  public DeadLetter decode(InputStream in) throws IOException {
    return new DeadLetter(
        STRING.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        BOOLEAN.decode(in),
        INSTANT.decode(in),
        STRING.decode(in),
        VAR_INT.decode(in),
        STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
