package dev.customer360.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The raw field types a source may declare, each with how a JSON value is read as that type:
 * exactly (a field a rule covers) or converted where that is lossless (a field no rule covers).
 */
enum JsonFieldType {
  STRING("a string") {
    @Override
    Object exact(JsonNode node) {
      return node.isTextual() ? node.textValue() : null;
    }

    @Override
    Object converted(JsonNode node) {
      return node.isValueNode() ? node.asText() : null;
    }
  },
  INT32("a whole number (32-bit)") {
    @Override
    Object exact(JsonNode node) {
      return node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : null;
    }

    @Override
    Object converted(JsonNode node) {
      Object exact = exact(node);
      return exact != null || !node.isTextual() ? exact : Integer.valueOf(node.textValue().trim());
    }
  },
  INT64("a whole number (64-bit)") {
    @Override
    Object exact(JsonNode node) {
      return node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : null;
    }

    @Override
    Object converted(JsonNode node) {
      Object exact = exact(node);
      return exact != null || !node.isTextual() ? exact : Long.valueOf(node.textValue().trim());
    }
  },
  DOUBLE("a number") {
    @Override
    Object exact(JsonNode node) {
      return node.isNumber() ? node.doubleValue() : null;
    }

    @Override
    Object converted(JsonNode node) {
      Object exact = exact(node);
      return exact != null || !node.isTextual() ? exact : Double.valueOf(node.textValue().trim());
    }
  },
  BOOLEAN("true or false") {
    @Override
    Object exact(JsonNode node) {
      return node.isBoolean() ? node.booleanValue() : null;
    }

    @Override
    Object converted(JsonNode node) {
      Object exact = exact(node);
      return exact != null || !node.isTextual() || !node.textValue().matches("(?i)true|false")
          ? exact
          : Boolean.valueOf(node.textValue());
    }
  };

  private final String description;

  JsonFieldType(String description) {
    this.description = description;
  }

  /** The type for a schema type, or {@code null} if raw records cannot carry it. */
  static JsonFieldType of(Schema.TypeName type) {
    switch (type) {
      case STRING:
        return STRING;
      case INT32:
        return INT32;
      case INT64:
        return INT64;
      case DOUBLE:
        return DOUBLE;
      case BOOLEAN:
        return BOOLEAN;
      default:
        return null;
    }
  }

  /** How messages name the type, e.g. "a whole number (32-bit)". */
  String description() {
    return description;
  }

  /** The value if the JSON value is exactly of this type, else {@code null}. */
  abstract Object exact(JsonNode node);

  /**
   * The value converted to this type where that loses nothing ({@code "8"} to 8, 8 to {@code "8"}),
   * else {@code null}.
   *
   * @throws NumberFormatException if text does not read as this numeric type
   */
  abstract Object converted(JsonNode node);
}
