package dev.customer360.pipeline;

import dev.customer360.transforms.SourceDefinition;
import dev.customer360.transforms.StandardSources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where each source's raw records come from. The two seed sources have flags of their own ({@code
 * --callLogInput}, {@code --clickstreamTopic}); any other source is given as {@code
 * --input=<source>=<glob>} or {@code --topic=<source>=<topic>}, so adding a source needs no new
 * flag.
 */
final class SourceInputs {
  private SourceInputs() {}

  /** The flags that name topics, for messages about a missing one. */
  static final String TOPIC_FLAGS =
      "--callLogTopic, --clickstreamTopic or --topic=<source>=<topic>";

  /** One source's input and the flag that gave it (named in errors). */
  static final class Input {
    final String flag;
    final String value;

    Input(String flag, String value) {
      this.flag = flag;
      this.value = value;
    }
  }

  /** Each source's file glob; fails, naming the flag to use, when a source has none. */
  static Map<SourceDefinition, Input> files(
      Customer360Options options, List<SourceDefinition> sources) {
    Map<String, String> generic = entries("--input", "glob", options.getInput(), sources);
    Map<SourceDefinition, Input> inputs = new LinkedHashMap<>();
    for (SourceDefinition source : sources) {
      String own = ownFlag(source, "Input");
      String ownValue = ownValue(options, source, false);
      String entry = generic.get(source.name());
      if (ownValue != null) {
        inputs.put(source, new Input(own, ownValue));
      } else if (entry != null) {
        inputs.put(source, new Input("--input=" + source.name(), entry));
      } else {
        throw new IllegalArgumentException(
            "No input for source '"
                + source.name()
                + "': pass "
                + (own != null ? own + "=<glob>" : "--input=" + source.name() + "=<glob>")
                + " (JSON-lines files, local or s3://)");
      }
    }
    return inputs;
  }

  /** Each source's topic: its own flag, a {@code --topic} entry, or the source's name. */
  static Map<SourceDefinition, String> topics(
      Customer360Options options, List<SourceDefinition> sources) {
    Map<String, String> generic = entries("--topic", "topic", options.getTopic(), sources);
    Map<SourceDefinition, String> topics = new LinkedHashMap<>();
    for (SourceDefinition source : sources) {
      String own = ownValue(options, source, true);
      topics.put(source, generic.getOrDefault(source.name(), own != null ? own : source.name()));
    }
    return topics;
  }

  /** The seed sources' own flag, e.g. {@code --callLogInput}; {@code null} for other sources. */
  private static String ownFlag(SourceDefinition source, String suffix) {
    if (source.equals(StandardSources.CALL_LOG)) {
      return "--callLog" + suffix;
    }
    if (source.equals(StandardSources.CLICKSTREAM)) {
      return "--clickstream" + suffix;
    }
    return null;
  }

  private static String ownValue(
      Customer360Options options, SourceDefinition source, boolean topic) {
    String value = null;
    if (source.equals(StandardSources.CALL_LOG)) {
      value = topic ? options.getCallLogTopic() : options.getCallLogInput();
    } else if (source.equals(StandardSources.CLICKSTREAM)) {
      value = topic ? options.getClickstreamTopic() : options.getClickstreamInput();
    }
    return value == null || value.isBlank() ? null : value;
  }

  /** Parses {@code <source>=<value>} entries, checking each names a known source once. */
  private static Map<String, String> entries(
      String flag, String what, List<String> values, List<SourceDefinition> sources) {
    List<String> known = sources.stream().map(SourceDefinition::name).collect(Collectors.toList());
    Map<String, String> entries = new LinkedHashMap<>();
    for (String value : values == null ? List.<String>of() : values) {
      int eq = value.indexOf('=');
      if (eq < 1 || eq == value.length() - 1) {
        throw new IllegalArgumentException(
            flag
                + "='"
                + value
                + "' is not <source>=<"
                + what
                + ">; e.g. "
                + flag
                + "="
                + known.get(known.size() - 1)
                + "=..."
                + (value.contains("=") ? "" : " (commas separate entries)"));
      }
      String source = value.substring(0, eq).trim();
      if (!known.contains(source)) {
        throw new IllegalArgumentException(
            flag
                + "="
                + value
                + ": there is no source '"
                + source
                + "'; sources are "
                + String.join(", ", known));
      }
      String own = null;
      for (SourceDefinition s : sources) {
        if (s.name().equals(source)) {
          own = ownFlag(s, flag.equals("--input") ? "Input" : "Topic");
        }
      }
      if (own != null) {
        throw new IllegalArgumentException(
            flag + "=" + value + ": source '" + source + "' has a flag of its own; use " + own);
      }
      if (entries.put(source, value.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException(flag + " names source '" + source + "' twice; keep one");
      }
    }
    return entries;
  }
}
