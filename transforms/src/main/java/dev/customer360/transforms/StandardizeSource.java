package dev.customer360.transforms;

import dev.customer360.transforms.sql.StandardizationSql;
import dev.customer360.transforms.sql.Timestamps;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.Ids;
import dev.customer360.transforms.values.RawRecord;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.joda.time.ReadableInstant;

/**
 * Raw JSON records of one source in; engagements ({@link #ENGAGEMENTS}) and dead letters ({@link
 * #DEAD_LETTERS}) out, each naming where its record came from ({@link DeadLetter#origin()}) up to
 * the SQL; a record the SQL's output fails validation for names none (that output has no origin).
 * Steps: parse and check the raw record, run the source's standardization SQL, validate the
 * standardized row and read its wall-clock time in the source's time zone.
 *
 * <pre>{@code
 * PCollectionTuple out = lines.apply(
 *     StandardizeSource.of(StandardSources.CALL_LOG, StandardizationSql.fromClasspath("call_log")));
 * }</pre>
 */
public final class StandardizeSource extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  public static final TupleTag<Engagement> ENGAGEMENTS = new TupleTag<Engagement>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = ParseRawRecords.DEAD_LETTERS;

  /** The columns every standardization SQL must select. */
  public static final List<String> OUTPUT_COLUMNS =
      List.of(
          "user_id",
          "engagement_datetime",
          "engagement_type",
          "engagement_source_id",
          "engagement_seconds");

  private final SourceDefinition source;
  private final StandardizationSql sql;
  private final ZoneId sourceTimeZone;
  private final int maxRecordBytes;
  private final ZoneId sqlTimeZone;
  private final @Nullable FutureCheck futureCheck;

  private StandardizeSource(
      SourceDefinition source,
      StandardizationSql sql,
      ZoneId sourceTimeZone,
      int maxRecordBytes,
      @Nullable FutureCheck futureCheck) {
    this.source = source;
    this.sql = sql;
    this.sourceTimeZone = sourceTimeZone;
    this.maxRecordBytes = maxRecordBytes;
    this.futureCheck = futureCheck;
    // Here, not in expand: a refused zone then fails before anything is added to the graph.
    this.sqlTimeZone = sqlTimeZone(source.readBy(sql), sql, sourceTimeZone);
  }

  /** Timestamps read as UTC, records up to 1 MiB. */
  public static StandardizeSource of(SourceDefinition source, StandardizationSql sql) {
    return new StandardizeSource(
        source, sql, ZoneOffset.UTC, ParseRawRecords.DEFAULT_MAX_RECORD_BYTES, null);
  }

  /**
   * The zone the source's zone-less timestamps are in.
   *
   * @throws IllegalArgumentException if the source accepts timestamps both with and without an
   *     offset and {@code zone} is not UTC ({@link #sqlTimeZone})
   */
  public StandardizeSource withSourceTimeZone(ZoneId zone) {
    return new StandardizeSource(source, sql, zone, maxRecordBytes, futureCheck);
  }

  /** Records larger than this are dead-lettered without being parsed. */
  public StandardizeSource withMaxRecordBytes(int bytes) {
    return new StandardizeSource(source, sql, sourceTimeZone, bytes, futureCheck);
  }

  /**
   * Engagements {@code check} finds too far in the future are dead letters of this step ({@link
   * RejectFutureEngagements}' rule, applied while validating: on Beam's Flink batch translation
   * every step with a dead-letter output copies each record once more).
   */
  public StandardizeSource withFutureCheck(FutureCheck check) {
    return new StandardizeSource(source, sql, sourceTimeZone, maxRecordBytes, check);
  }

  /**
   * The event time of a raw record as this standardization will read it (the same timestamp
   * patterns, the same zone), for reads that must put records on event time before they are parsed.
   */
  public RawEventTime rawEventTime() {
    return new RawEventTime(source.readBy(sql), sourceTimeZone);
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> lines) {
    PCollectionTuple parsed =
        lines.apply("ParseRawRecords", new ParseRawRecords(source.readBy(sql), maxRecordBytes));

    SqlErrorsToDeadLetters sqlErrors = new SqlErrorsToDeadLetters(source.name());
    PCollection<Row> standardized;
    try {
      PCollection<Row> rows = parsed.get(ParseRawRecords.ROWS);
      standardized =
          PCollectionTuple.of(new TupleTag<Row>(source.name()), rows)
              .apply(
                  "RunStandardizationSql",
                  carryingTheRecord(rows.getSchema())
                      .toSqlTransform()
                      .withErrorsTransformer(sqlErrors));
    } catch (RuntimeException e) {
      // Planning the query failed (Beam SQL's ParseException, SqlConversionException, vendored
      // Calcite errors): name the file, and the line and column where Calcite gives them.
      throw sql.explain(e);
    }
    checkOutputSchema(standardized.getSchema());

    PCollectionTuple validated =
        standardized.apply(
            "ValidateEngagements",
            ParDo.of(
                    new ValidateFn(
                        source.name(),
                        sqlTimeZone,
                        standardized.getSchema().hasField(SourceDefinition.ORIGIN_FIELD),
                        futureCheck))
                .withOutputTags(ENGAGEMENTS, TupleTagList.of(DEAD_LETTERS)));

    PCollectionList<DeadLetter> deadLetters =
        PCollectionList.of(parsed.get(ParseRawRecords.DEAD_LETTERS))
            .and(validated.get(DEAD_LETTERS))
            .and(sqlErrors.captured);
    return PCollectionTuple.of(ENGAGEMENTS, validated.get(ENGAGEMENTS))
        .and(DEAD_LETTERS, deadLetters.apply("FlattenDeadLetters", Flatten.pCollections()));
  }

  /**
   * The source's SQL also selecting the raw record and its origin ({@link
   * SourceDefinition#HIDDEN_FIELDS}) when it plans that way (a plain select from the source's
   * table): Beam SQL hands a step only the columns it reads, so a record it fails on keeps its raw
   * line and origin only if the step reads them, and a validation failure names its origin. Any
   * other query runs as written.
   */
  private StandardizationSql carryingTheRecord(Schema input) {
    StandardizationSql carrying = sql.selectingFirst(SourceDefinition.HIDDEN_FIELDS);
    if (carrying == null) {
      return sql;
    }
    Pipeline scratch = Pipeline.create();
    try {
      PCollection<Row> rows = scratch.apply(Create.empty(RowCoder.of(input)));
      rows.setRowSchema(input);
      PCollectionTuple.of(new TupleTag<Row>(source.name()), rows).apply(carrying.toSqlTransform());
      return carrying;
    } catch (RuntimeException e) {
      return sql; // planned as written below, where its own errors are explained
    }
  }

  /**
   * The timestamp patterns a source accepts: those of its TIMESTAMP rules as its SQL reads them
   * ({@code read}), or the SQL's own if it has no such rule.
   */
  private static List<String> acceptedTimestampPatterns(
      SourceDefinition read, StandardizationSql sql) {
    Set<String> patterns = new LinkedHashSet<>();
    for (FieldRule rule : read.rules()) {
      if (rule.kind() == FieldRule.Kind.TIMESTAMP) {
        patterns.addAll(rule.patterns());
      }
    }
    return patterns.isEmpty() ? sql.timestampPatterns() : List.copyOf(patterns);
  }

  /**
   * The zone SQL's wall-clock times are in. A pattern that reads an offset ({@code ...X}) gets UTC
   * times from {@code to_timestamp} (that offset applied), so the source's zone must not be applied
   * again; a zone-less one needs it. One zone serves the whole SQL output, so a source accepting
   * both kinds is refused unless its zone is UTC, where the two agree.
   *
   * @throws IllegalArgumentException for both kinds of pattern and a source zone other than UTC
   */
  private static ZoneId sqlTimeZone(
      SourceDefinition read, StandardizationSql sql, ZoneId sourceTimeZone) {
    List<String> withOffset = new ArrayList<>();
    List<String> zoneless = new ArrayList<>();
    for (String pattern : acceptedTimestampPatterns(read, sql)) {
      (Timestamps.carriesOffset(pattern) ? withOffset : zoneless).add(pattern);
    }
    if (zoneless.isEmpty()) {
      return ZoneOffset.UTC;
    }
    if (!withOffset.isEmpty() && !sourceTimeZone.normalized().equals(ZoneOffset.UTC)) {
      throw new IllegalArgumentException(
          sql.origin()
              + ": source '"
              + read.name()
              + "' accepts timestamps with an offset ("
              + String.join(" or ", withOffset)
              + ") and without ("
              + String.join(" or ", zoneless)
              + "), but the zone-less ones would need the source time zone "
              + sourceTimeZone
              + " and the others must not get it; make every to_timestamp pattern in the SQL"
              + " read an offset, or run with the source time zone UTC");
    }
    return sourceTimeZone;
  }

  private void checkOutputSchema(Schema schema) {
    List<String> problems = new ArrayList<>();
    for (String column : OUTPUT_COLUMNS) {
      if (!schema.hasField(column)) {
        problems.add("missing column '" + column + "'");
      }
    }
    if (problems.isEmpty()) {
      TypeName time = schema.getField("engagement_datetime").getType().getTypeName();
      if (time != TypeName.DATETIME) {
        problems.add(
            "engagement_datetime is " + time + ", expected a TIMESTAMP (to_timestamp(...))");
      }
      TypeName seconds = schema.getField("engagement_seconds").getType().getTypeName();
      if (!seconds.isNumericType()) {
        problems.add("engagement_seconds is " + seconds + ", expected an INT (cast(... as int))");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          sql.origin()
              + " must select "
              + String.join(", ", OUTPUT_COLUMNS)
              + "; it selects "
              + schema.getFieldNames()
              + ": "
              + String.join("; ", problems));
    }
  }

  /**
   * Turns rows that failed inside the generated SQL code into dead letters. SqlTransform applies
   * this to each calc step's failures; the results are kept for {@link #expand}.
   */
  static final class SqlErrorsToDeadLetters extends PTransform<PCollection<Row>, PDone> {
    private final String source;
    final transient List<PCollection<DeadLetter>> captured = new ArrayList<>();

    SqlErrorsToDeadLetters(String source) {
      this.source = source;
    }

    @Override
    public PDone expand(PCollection<Row> errors) {
      String source = this.source; // a local, so the lambda does not capture this transform
      captured.add(
          errors.apply(
              "SqlErrorToDeadLetter",
              MapElements.into(TypeDescriptor.of(DeadLetter.class))
                  .via(
                      (Row error) -> {
                        // Rare: a counter looked up per error costs nothing that matters.
                        Metrics.counter(StandardizeSource.class, MetricNames.sqlErrors(source))
                            .inc();
                        return toDeadLetter(source, error);
                      })));
      return PDone.in(errors.getPipeline());
    }

    static DeadLetter toDeadLetter(String source, Row error) {
      Row input = error.getRow("row");
      boolean carried =
          input != null && input.getSchema().hasField(SourceDefinition.RAW_RECORD_FIELD);
      DeadLetter d =
          DeadLetter.ofRecord(
              DeadLetter.Stage.SQL,
              source,
              "the standardization SQL failed on this record: "
                  + error.getString("error")
                  + RejectionReasons.FIX,
              carried
                  ? rawRecordOf(input, input.getString(SourceDefinition.RAW_RECORD_FIELD))
                  : RawRecord.of(String.valueOf(input)));
      // Without the raw line (a query that cannot carry it) the payload is the SQL's input row.
      return carried ? d : d.notReplayable();
    }
  }

  /** {@code line} with the origin {@code row} carries, if it does. */
  static RawRecord rawRecordOf(Row row, String line) {
    if (!row.getSchema().hasField(SourceDefinition.ORIGIN_FIELD)) {
      return RawRecord.of(line);
    }
    Long position = row.getInt64(SourceDefinition.ORIGIN_POSITION_FIELD);
    return RawRecord.ofParts(
        line,
        row.getString(SourceDefinition.ORIGIN_FIELD),
        position == null ? RawRecord.NO_POSITION : position);
  }

  /** Checks a standardized row and makes it an {@link Engagement}. */
  static final class ValidateFn extends DoFn<Row, Engagement> {
    private final String source;
    private final ZoneId sourceTimeZone;
    private final boolean carriesOrigin;
    private final @Nullable FutureCheck futureCheck;
    private final Counter standardized;
    private final Counter rowsFromSql;

    ValidateFn(
        String source,
        ZoneId sourceTimeZone,
        boolean carriesOrigin,
        @Nullable FutureCheck futureCheck) {
      this.source = source;
      this.carriesOrigin = carriesOrigin;
      this.futureCheck = futureCheck;
      // Normalized once: the default zone, the region "UTC", then equals ZoneOffset.UTC.
      this.sourceTimeZone = sourceTimeZone.normalized();
      this.standardized =
          Metrics.counter(StandardizeSource.class, MetricNames.standardized(source));
      this.rowsFromSql = Metrics.counter(StandardizeSource.class, MetricNames.rowsFromSql(source));
    }

    @ProcessElement
    public void process(@Element Row row, @Timestamp Instant stamped, MultiOutputReceiver out) {
      rowsFromSql.inc();
      List<String> problems = new ArrayList<>();
      // One normalization for every source's ids, so one customer is one user_id everywhere.
      String userId = Ids.normalize(row.getString("user_id"));
      String userIdProblem = Ids.problem("user_id", userId);
      if (userIdProblem != null) {
        problems.add(userIdProblem);
      }
      String sourceId = Ids.normalize(row.getString("engagement_source_id"));
      String sourceIdProblem = Ids.problem("engagement_source_id", sourceId);
      if (sourceIdProblem != null) {
        problems.add(sourceIdProblem);
      }
      Object type = row.getValue("engagement_type");
      if (type == null || type.toString().isBlank()) {
        problems.add("engagement_type is missing or empty");
      }
      ReadableInstant wallClock = row.getValue("engagement_datetime");
      if (wallClock == null) {
        problems.add("engagement_datetime is missing or not a valid timestamp");
      }
      Number seconds = row.getValue("engagement_seconds");
      if (seconds == null) {
        problems.add("engagement_seconds is missing");
      } else if (seconds.longValue() < 0 || seconds.longValue() > Integer.MAX_VALUE) {
        problems.add("engagement_seconds is " + seconds + "; it must be between 0 and 2^31-1");
      }
      if (!problems.isEmpty()) {
        out.get(DEAD_LETTERS).output(invalid(row, problems));
        return;
      }
      standardized.inc();
      Engagement engagement =
          Engagement.from(
              source,
              userId,
              inSourceZone(wallClock),
              type.toString().trim(),
              sourceId,
              seconds.intValue());
      DeadLetter future = futureCheck == null ? null : futureCheck.reject(engagement, stamped);
      if (future == null) {
        out.get(ENGAGEMENTS).output(engagement);
      } else {
        out.get(DEAD_LETTERS).output(future);
      }
    }

    /** SQL carries wall-clock times as UTC millis; read them in the source's zone. */
    private Instant inSourceZone(ReadableInstant wallClock) {
      if (sourceTimeZone.equals(ZoneOffset.UTC)) {
        return wallClock.toInstant();
      }
      LocalDateTime local =
          LocalDateTime.ofEpochSecond(
              Math.floorDiv(wallClock.getMillis(), 1000L),
              (int) Math.floorMod(wallClock.getMillis(), 1000L) * 1_000_000,
              ZoneOffset.UTC);
      return Instant.ofEpochMilli(local.atZone(sourceTimeZone).toInstant().toEpochMilli());
    }

    /**
     * The payload is the standardized values (not the raw record: not replayable), the origin the
     * one the SQL carried through, if it did.
     */
    private DeadLetter invalid(Row row, List<String> problems) {
      DeadLetter d =
          DeadLetter.of(
              DeadLetter.Stage.VALIDATE,
              source,
              "standardized record is invalid: "
                  + String.join("; ", problems)
                  + RejectionReasons.FIX,
              describe(row));
      return carriesOrigin ? d.withOrigin(rawRecordOf(row, "").origin()) : d;
    }

    private static String describe(Row row) {
      StringBuilder s = new StringBuilder("{");
      for (String name : row.getSchema().getFieldNames()) {
        if (SourceDefinition.HIDDEN_FIELDS.contains(name)) {
          continue;
        }
        s.append(s.length() > 1 ? ", " : "")
            .append(name)
            .append('=')
            .append((Object) row.getValue(name));
      }
      return s.append('}').toString();
    }
  }
}
