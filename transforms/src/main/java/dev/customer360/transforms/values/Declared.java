package dev.customer360.transforms.values;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * What Beam derives from a value type declared once with a schema ({@code @DefaultSchema}): its
 * schema, coder and Row form, for the sinks to derive their columns and fields from.
 */
public final class Declared {
  private static final SchemaRegistry REGISTRY = SchemaRegistry.createDefault();

  private Declared() {}

  public static Schema schema(Class<?> type) {
    try {
      return REGISTRY.getSchema(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalArgumentException(type.getName() + " declares no Beam schema", e);
    }
  }

  public static <T> Coder<T> coder(Class<T> type) {
    try {
      return REGISTRY.getSchemaCoder(TypeDescriptor.of(type));
    } catch (NoSuchSchemaException e) {
      throw new IllegalArgumentException(type.getName() + " declares no Beam schema", e);
    }
  }

  public static <T> SerializableFunction<T, Row> toRow(Class<T> type) {
    try {
      return REGISTRY.getToRowFunction(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalArgumentException(type.getName() + " declares no Beam schema", e);
    }
  }
}
