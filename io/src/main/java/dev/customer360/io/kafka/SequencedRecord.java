package dev.customer360.io.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** A keyed record on its way to the exactly-once sink, with its place in its epoch's sequence. */
final class SequencedRecord {
  final long epoch;
  final long sequence;
  final String key;
  final String value;

  SequencedRecord(long epoch, long sequence, String key, String value) {
    this.epoch = epoch;
    this.sequence = sequence;
    this.key = key;
    this.value = value;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SequencedRecord)) {
      return false;
    }
    SequencedRecord r = (SequencedRecord) o;
    return epoch == r.epoch
        && sequence == r.sequence
        && Objects.equals(key, r.key)
        && value.equals(r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(epoch, sequence, key, value);
  }

  static final class RecordCoder extends AtomicCoder<SequencedRecord> {
    private static final Coder<Long> LONG = VarLongCoder.of();
    private static final Coder<String> KEY = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<String> VALUE = StringUtf8Coder.of();

    @Override
    public void encode(SequencedRecord r, OutputStream out) throws IOException {
      LONG.encode(r.epoch, out);
      LONG.encode(r.sequence, out);
      KEY.encode(r.key, out);
      VALUE.encode(r.value, out);
    }

    @Override
    public SequencedRecord decode(InputStream in) throws IOException {
      return new SequencedRecord(
          LONG.decode(in), LONG.decode(in), KEY.decode(in), VALUE.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
