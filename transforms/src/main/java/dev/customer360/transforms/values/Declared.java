package dev.customer360.transforms.values;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * What Beam derives from a value type declared once by its fields ({@link JavaFieldSchema}: field
 * order, {@code @SchemaCaseFormat}, {@code @SchemaCreate}): its schema, schema coder and Row form,
 * for the sinks to derive their columns and fields from. Fields marked {@code @SchemaIgnore} are
 * carried by the value but are not output columns.
 *
 * <p>The provider is used directly rather than through {@code @DefaultSchema}, so that a type whose
 * hand coder carries fields outside its schema (engagements, dead letters) keeps that coder when a
 * pipeline infers one.
 */
public final class Declared {
  private static final JavaFieldSchema FIELDS = new JavaFieldSchema();

  private Declared() {}

  public static Schema schema(Class<?> type) {
    Schema schema = FIELDS.schemaFor(TypeDescriptor.of(type));
    if (schema == null) {
      throw new IllegalArgumentException(type.getName() + " declares no fields for a Beam schema");
    }
    return schema;
  }

  /** Its schema coder: the fields of {@link #schema}, nothing outside it. */
  public static <T> Coder<T> coder(Class<T> type) {
    TypeDescriptor<T> descriptor = TypeDescriptor.of(type);
    return SchemaCoder.of(
        schema(type),
        descriptor,
        FIELDS.toRowFunction(descriptor),
        FIELDS.fromRowFunction(descriptor));
  }

  public static <T> SerializableFunction<T, Row> toRow(Class<T> type) {
    return FIELDS.toRowFunction(TypeDescriptor.of(type));
  }

  public static <T> SerializableFunction<Row, T> fromRow(Class<T> type) {
    return FIELDS.fromRowFunction(TypeDescriptor.of(type));
  }
}
