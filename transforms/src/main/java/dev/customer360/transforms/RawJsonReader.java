package dev.customer360.transforms;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Utf8;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Reads one raw line of a source into the values of its raw schema, in field order. A field a
 * {@link FieldRule} covers must have exactly its declared type; one no rule covers (informational,
 * not used to build the engagement) is converted where that is lossless and otherwise left null
 * rather than costing the record.
 */
final class RawJsonReader {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final String source;
  private final int maxRecordBytes;
  private final List<Schema.Field> fields;
  private final JsonFieldType[] types;
  private final boolean[] ruled;

  RawJsonReader(SourceDefinition source, int maxRecordBytes) {
    this.source = source.name();
    this.maxRecordBytes = maxRecordBytes;
    this.fields = source.rawSchema().getFields();
    this.types = new JsonFieldType[fields.size()];
    this.ruled = new boolean[fields.size()];
    Set<String> ruledFields = new HashSet<>();
    source.rules().forEach(rule -> ruledFields.add(rule.field()));
    for (int i = 0; i < fields.size(); i++) {
      types[i] = JsonFieldType.of(fields.get(i).getType().getTypeName());
      ruled[i] = ruledFields.contains(fields.get(i).getName());
    }
  }

  /**
   * The values of {@code rawLine}'s fields, in schema order, in a list with room for {@code extra}
   * more.
   */
  List<Object> read(String rawLine, int extra) throws RejectedRecord {
    JsonNode json = readObject(rawLine);
    List<String> problems = new ArrayList<>();
    List<Object> values = new ArrayList<>(fields.size() + extra);
    for (int i = 0; i < fields.size(); i++) {
      values.add(readField(json.get(fields.get(i).getName()), i, problems));
    }
    if (!problems.isEmpty()) {
      throw new RejectedRecord(DeadLetter.Stage.PARSE, RejectionReasons.problems(problems));
    }
    return values;
  }

  private JsonNode readObject(String rawLine) throws RejectedRecord {
    String line = rawLine.startsWith("\uFEFF") ? rawLine.substring(1) : rawLine;
    // Counting bytes is only needed when the line could be over the limit.
    int bytes = (long) line.length() * 3 <= maxRecordBytes ? 0 : Utf8.length(line);
    if (bytes > maxRecordBytes) {
      throw new RejectedRecord(
          DeadLetter.Stage.PARSE, RejectionReasons.overLimit(bytes, maxRecordBytes));
    }
    if (line.isBlank()) {
      throw new RejectedRecord(DeadLetter.Stage.PARSE, RejectionReasons.emptyRecord());
    }
    JsonNode json;
    try {
      json = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new RejectedRecord(DeadLetter.Stage.PARSE, RejectionReasons.notJson(e));
    }
    if (json == null || !json.isObject()) {
      throw new RejectedRecord(DeadLetter.Stage.PARSE, RejectionReasons.notAnObject(json, source));
    }
    return json;
  }

  private Object readField(JsonNode node, int i, List<String> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonFieldType type = types[i];
    if (!ruled[i]) {
      try {
        return type == null ? null : type.converted(node);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (type == null) {
      throw new IllegalStateException("unsupported raw field type " + fields.get(i).getType());
    }
    Object value = type.exact(node);
    if (value == null) {
      problems.add(RejectionReasons.wrongType(fields.get(i).getName(), type.description(), node));
    }
    return value;
  }
}
