package dev.customer360.transforms;

import dev.customer360.transforms.sql.XmlFields;
import dev.customer360.transforms.values.DeadLetter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a record's raw values against its source's {@link FieldRule}s. The XML a rule looks into
 * is read once per field, for all of that field's rules.
 */
final class RuleChecker {
  private final SourceDefinition source;

  /** Per JSON field holding XML: the XPaths its rules read, each under its own name. */
  private final Map<String, Map<String, String>> xpathsByField = new LinkedHashMap<>();

  RuleChecker(SourceDefinition source) {
    this.source = source;
    for (FieldRule rule : source.rules()) {
      if (rule.xpath() != null) {
        xpathsByField
            .computeIfAbsent(rule.field(), f -> new LinkedHashMap<>())
            .put(rule.xpath(), rule.xpath());
      }
    }
  }

  /** Passes if {@code values} (in raw schema order) meet every rule; else says why not. */
  void check(List<Object> values) throws RejectedRecord {
    Map<String, Map<String, String>> xmlTexts = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> xml : xpathsByField.entrySet()) {
      xmlTexts.put(xml.getKey(), readXml(values, xml.getKey(), xml.getValue()));
    }
    List<String> problems = new ArrayList<>();
    for (FieldRule rule : source.rules()) {
      Object value =
          rule.xpath() == null
              ? values.get(source.rawSchema().indexOf(rule.field()))
              : xmlTexts.get(rule.field()).get(rule.xpath());
      String problem = rule.problemWith(value);
      if (problem != null) {
        problems.add(problem);
      }
    }
    if (!problems.isEmpty()) {
      throw new RejectedRecord(DeadLetter.Stage.RULES, RejectionReasons.problems(problems));
    }
  }

  private Map<String, String> readXml(List<Object> values, String field, Map<String, String> paths)
      throws RejectedRecord {
    Object text = values.get(source.rawSchema().indexOf(field));
    if (text == null) {
      throw new RejectedRecord(
          DeadLetter.Stage.RULES,
          RejectionReasons.problems(List.of(RejectionReasons.missingXml(field))));
    }
    try {
      return XmlFields.extract((String) text, paths);
    } catch (XmlFields.XmlFieldException e) {
      throw new RejectedRecord(
          DeadLetter.Stage.RULES,
          RejectionReasons.problems(
              List.of(RejectionReasons.unreadableXml(field, e.getMessage()))));
    }
  }
}
