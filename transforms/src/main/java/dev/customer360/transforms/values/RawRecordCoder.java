package dev.customer360.transforms.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Deterministic coder for {@link RawRecord}: the line, then its origin's two parts, then its read
 * error (one byte when it has none).
 */
public final class RawRecordCoder extends AtomicCoder<RawRecord> {
  private static final RawRecordCoder INSTANCE = new RawRecordCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder VAR_LONG = VarLongCoder.of();
  private static final NullableCoder<String> READ_ERROR = NullableCoder.of(STRING);

  public static RawRecordCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(RawRecord.class), INSTANCE);
  }

  private RawRecordCoder() {}

  @Override
  public void encode(RawRecord value, OutputStream out) throws IOException {
    STRING.encode(value.line, out);
    STRING.encode(value.originPrefix, out);
    // +1: no position (-1) takes one byte instead of ten.
    VAR_LONG.encode(value.position + 1, out);
    READ_ERROR.encode(value.readError, out);
  }

  @Override
  public RawRecord decode(InputStream in) throws IOException {
    return new RawRecord(
        STRING.decode(in), STRING.decode(in), VAR_LONG.decode(in) - 1, READ_ERROR.decode(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
