package dev.customer360.transforms;

import dev.customer360.transforms.sql.StandardizationSql;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Everything the pipeline needs to know about one raw source besides its SQL: its name (the SQL
 * table name, the file {@code src/sql/<name>.sql} and the dead letter's {@code source}), the JSON
 * fields its SQL reads, with their types, and the rules a record must meet before SQL runs.
 *
 * <p>The row given to SQL also carries the raw line in {@link #RAW_RECORD_FIELD} and where it came
 * from in {@link #ORIGIN_FIELD} and {@link #ORIGIN_POSITION_FIELD}, so that a record failing inside
 * SQL is dead-lettered with its original payload and origin.
 */
public final class SourceDefinition implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Column holding the raw line in the rows given to SQL; queries need not select it. */
  public static final String RAW_RECORD_FIELD = "c360_raw_record";

  /**
   * Column holding the text of the raw record's origin up to its position ({@code
   * file:/data/clicks.jsonl line }), shared by the records of one file or partition.
   */
  public static final String ORIGIN_FIELD = "c360_origin";

  /** Column holding the raw record's position in its origin, -1 for none. */
  public static final String ORIGIN_POSITION_FIELD = "c360_origin_position";

  /** The columns the rows given to SQL carry besides the source's fields, in order. */
  public static final List<String> HIDDEN_FIELDS =
      List.of(RAW_RECORD_FIELD, ORIGIN_FIELD, ORIGIN_POSITION_FIELD);

  private final String name;
  private final Schema rawSchema;
  private final List<FieldRule> rules;

  private SourceDefinition(String name, Schema rawSchema, List<FieldRule> rules) {
    this.name = name;
    this.rawSchema = rawSchema;
    this.rules = List.copyOf(rules);
  }

  /**
   * A source whose JSON records have the fields of {@code rawSchema} (all may be absent; the {@code
   * rules} say which must be there). Types: STRING, INT32, INT64, DOUBLE, BOOLEAN.
   */
  public static SourceDefinition of(String name, Schema rawSchema, List<FieldRule> rules) {
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "Source name '" + name + "' must be lower_snake_case: it is also a SQL table name");
    }
    for (FieldRule rule : rules) {
      if (!rawSchema.hasField(rule.field())) {
        throw new IllegalArgumentException(
            "Source '" + name + "' has a rule on '" + rule.field() + "', which its schema lacks");
      }
    }
    return new SourceDefinition(name, rawSchema, rules);
  }

  public String name() {
    return name;
  }

  /** The JSON fields SQL reads. */
  public Schema rawSchema() {
    return rawSchema;
  }

  /** The schema of the rows given to SQL: {@link #rawSchema()} plus the raw line and its origin. */
  public Schema sqlInputSchema() {
    List<Schema.Field> fields = new ArrayList<>(rawSchema.getFields());
    fields.add(Schema.Field.of(RAW_RECORD_FIELD, Schema.FieldType.STRING));
    fields.add(Schema.Field.of(ORIGIN_FIELD, Schema.FieldType.STRING));
    fields.add(Schema.Field.of(ORIGIN_POSITION_FIELD, Schema.FieldType.INT64));
    return Schema.of(fields.toArray(new Schema.Field[0]));
  }

  public List<FieldRule> rules() {
    return rules;
  }

  /**
   * This source as its SQL reads it: its TIMESTAMP rules with no pattern of their own accept the
   * patterns {@code sql} passes to {@code to_timestamp}, so that the SQL file alone says which
   * timestamp formats the source takes.
   */
  SourceDefinition readBy(StandardizationSql sql) {
    List<FieldRule> read = new ArrayList<>(rules.size());
    for (FieldRule rule : rules) {
      read.add(
          rule.kind() == FieldRule.Kind.TIMESTAMP
              ? rule.withSqlPatterns(sql.timestampPatterns())
              : rule);
    }
    return new SourceDefinition(name, rawSchema, read);
  }

  @Override
  public String toString() {
    return name;
  }
}
