package dev.customer360.transforms;

import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.RawRecord;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Raw JSON records of one source in; rows for its SQL ({@link #ROWS}) and dead letters ({@link
 * #DEAD_LETTERS}) out. Every record either becomes a row that meets the source's {@link FieldRule}s
 * or a dead letter saying what is wrong with it and where it came from; nothing throws, nothing
 * vanishes. A record the read could not read whole ({@link RawRecord#readError()}) becomes its dead
 * letter here, at stage {@code read}.
 */
public final class ParseRawRecords extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  public static final TupleTag<Row> ROWS = new TupleTag<Row>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  /** Default for {@code --maxRecordBytes}: 1 MiB. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

  private final SourceDefinition source;
  private final int maxRecordBytes;

  public ParseRawRecords(SourceDefinition source, int maxRecordBytes) {
    this.source = source;
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> lines) {
    PCollectionTuple parsed =
        lines.apply(
            "Parse" + source.name(),
            ParDo.of(new ParseFn(source, maxRecordBytes))
                .withOutputTags(ROWS, TupleTagList.of(DEAD_LETTERS)));
    parsed.get(ROWS).setRowSchema(source.sqlInputSchema());
    return parsed;
  }

  /** Reads, checks and turns one raw line into a row for SQL or a dead letter. */
  static final class ParseFn extends DoFn<RawRecord, Row> {
    private final SourceDefinition source;
    private final int maxRecordBytes;
    private final Counter recordsRead;
    private final Counter rowsToSql;
    private transient Schema rowSchema;
    private transient RawJsonReader reader;
    private transient RuleChecker rules;

    ParseFn(SourceDefinition source, int maxRecordBytes) {
      this.source = source;
      this.maxRecordBytes = maxRecordBytes;
      this.recordsRead =
          Metrics.counter(ParseRawRecords.class, MetricNames.recordsRead(source.name()));
      this.rowsToSql = Metrics.counter(ParseRawRecords.class, MetricNames.rowsToSql(source.name()));
    }

    @Setup
    public void setup() {
      rowSchema = source.sqlInputSchema();
      reader = new RawJsonReader(source, maxRecordBytes);
      rules = new RuleChecker(source);
    }

    @ProcessElement
    public void process(@Element RawRecord record, MultiOutputReceiver out) {
      recordsRead.inc();
      if (record.readError() != null) {
        out.get(DEAD_LETTERS)
            .output(
                DeadLetter.ofRecord(
                    DeadLetter.Stage.READ, source.name(), record.readError(), record));
        return;
      }
      try {
        out.get(ROWS).output(parse(record));
        rowsToSql.inc();
      } catch (RejectedRecord e) {
        out.get(DEAD_LETTERS)
            .output(DeadLetter.ofRecord(e.stage, source.name(), e.getMessage(), record));
      } catch (RuntimeException e) {
        // A bug of ours must not lose the record either.
        out.get(DEAD_LETTERS)
            .output(
                DeadLetter.ofRecord(
                    DeadLetter.Stage.PARSE,
                    source.name(),
                    "unexpected error while parsing (please report it): " + e,
                    record));
      }
    }

    Row parse(RawRecord record) throws RejectedRecord {
      List<Object> values = reader.read(record.line(), 3);
      rules.check(values);
      // The origin in its two parts: its text is made only if SQL fails on the record.
      values.add(record.line());
      values.add(record.originPrefix());
      values.add(record.position());
      return Row.withSchema(rowSchema).attachValues(values);
    }
  }
}
