package dev.customer360.pipeline;

import dev.customer360.transforms.DurationOption;
import dev.customer360.transforms.TimeZoneOption;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code --help}: this job's own options by concern, each with its default and description, read
 * from the options' annotations. {@code --help=<OptionsClass>} prints Beam's help of one options
 * interface, as Beam does, without Beam's list of every registered options class (BigQuery,
 * Pub/Sub...), which this job never uses.
 */
final class Help {
  private Help() {}

  /** Options shown together under a title. */
  record Group(String title, List<String> options) {}

  /** On the runtime classpath only (the runner is not a compile dependency): read by name. */
  static final String FLINK_OPTIONS = "org.apache.beam.runners.flink.FlinkPipelineOptions";

  /** Every option of {@link Customer360Options}'s own interfaces appears once (HelpTest). */
  static final List<Group> GROUPS =
      List.of(
          new Group(
              "Sources",
              List.of(
                  "source",
                  "replay",
                  "callLogInput",
                  "clickstreamInput",
                  "input",
                  "bootstrapServers",
                  "callLogTopic",
                  "clickstreamTopic",
                  "topic",
                  "groupId",
                  "maxRecords",
                  "maxReadTime",
                  "partitionDiscoveryInterval",
                  "kafkaProperty",
                  "kafkaPropertiesFile")),
          new Group("Standardization", List.of("sqlDir", "sourceTimeZone", "maxRecordBytes")),
          new Group(
              "Time and lateness",
              List.of(
                  "window",
                  "allowedLateness",
                  "maxOutOfOrderness",
                  "maxFutureSkew",
                  "profileUpdateEvery")),
          new Group(
              "Sinks",
              List.of(
                  "sinks",
                  "output",
                  "runId",
                  "format",
                  "compression",
                  "numShards",
                  "jdbcUrl",
                  "jdbcUser",
                  "jdbcPasswordEnv",
                  "createTables",
                  "jdbcBatchSize",
                  "jdbcConnectTimeout",
                  "jdbcSocketTimeout",
                  "engagementsTopic",
                  "profilesTopic",
                  "deadLetterTopic",
                  "conflictsTopic",
                  "exactlyOnce")),
          new Group(
              "S3 and S3-compatible stores (input and output)",
              List.of("s3Endpoint", "s3Region", "s3PathStyle")),
          new Group(
              "Runner and Flink",
              List.of(
                  "runner",
                  "dedupShards",
                  "flinkMaster",
                  "parallelism",
                  "checkpointingInterval",
                  "stateBackend",
                  "stateBackendStoragePath",
                  "savepointPath",
                  "numberOfExecutionRetries",
                  "executionRetryDelay",
                  "fasterCopy")),
          new Group("This run", List.of("config", "preview", "verbose")));

  /** Defaults that a factory computes (no annotation names them) or that the scripts change. */
  private static final Map<String, String> COMPUTED_DEFAULTS =
      Map.of(
          "runner", "DirectRunner; run-flink.sh: FlinkRunner",
          "parallelism", "-1, Flink's own; run-flink.sh: 2",
          "fasterCopy", "false; run-flink.sh: true");

  private static final int WIDTH = 100;
  private static final String INDENT = "      ";

  /**
   * The value of {@code --help} among the arguments: "" for {@code --help} alone (this job's
   * options), else the options class asked for; empty when help was not asked for.
   */
  static Optional<String> requested(String[] args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("--help=true")) {
        return Optional.of("");
      }
      if (arg.startsWith("--help=")) {
        return Optional.of(arg.substring("--help=".length()));
      }
    }
    return Optional.empty();
  }

  /**
   * Prints the help asked for ("" = this job's options) on {@code out}; returns the exit code: 0,
   * or 2 (with one line on {@code err}) when no options class has that name.
   */
  static int print(String optionsClass, PrintStream out, PrintStream err) {
    if (optionsClass.isEmpty()) {
      out.print(text());
      return 0;
    }
    List<Class<? extends PipelineOptions>> matches = optionsClassesNamed(optionsClass);
    if (matches.size() != 1) {
      err.println(
          "error: --help="
              + optionsClass
              + (matches.isEmpty()
                  ? " names no options class"
                  : " names several options classes: "
                      + matches.stream().map(Class::getName).collect(Collectors.joining(", ")))
              + "; give its full name, or see --help for this job's options and examples");
      return 2;
    }
    PipelineOptionsFactory.printHelp(out, matches.get(0));
    return 0;
  }

  /**
   * Beam's lookup: a full class name, else the simple (or dotted suffix) name of a registered one.
   */
  private static List<Class<? extends PipelineOptions>> optionsClassesNamed(String name) {
    try {
      Class<?> named = Class.forName(name, false, Help.class.getClassLoader());
      if (PipelineOptions.class.isAssignableFrom(named)) {
        return List.of(named.asSubclass(PipelineOptions.class));
      }
    } catch (ClassNotFoundException e) {
      // Not a full name: look among the registered ones below.
    }
    return PipelineOptionsFactory.getRegisteredOptions().stream()
        .filter(
            c -> name.contains(".") ? c.getName().endsWith(name) : c.getSimpleName().equals(name))
        .sorted((a, b) -> a.getName().compareTo(b.getName()))
        .collect(Collectors.toList());
  }

  /** This job's options, grouped, and where to find the rest. */
  static String text() {
    StringBuilder text = new StringBuilder();
    text.append(
            "Customer 360: raw call logs and clickstream in; deduplicated engagements, customer"
                + " profiles\nand dead letters out.\n\n")
        .append("Usage: ./run-local.sh [--option=value ...]   DirectRunner, in one JVM\n")
        .append(
            "       ./run-flink.sh [--option=value ...]   Flink: embedded, or"
                + " FLINK_MASTER=host:8081 to submit\n")
        .append("       java -jar customer360-<version>-bundled.jar [--option=value ...]\n");
    Optional<Class<?>> flink = flinkOptions();
    for (Group group : GROUPS) {
      text.append('\n').append(group.title()).append('\n');
      for (String option : group.options()) {
        if (option.equals("config")) {
          // Read before Beam parses the options (ConfigFile), so no options interface has it.
          text.append("  --config=<file>\n")
              .append(
                  wrap(
                      "Options from a YAML file, one 'option: value' per line, as in"
                          + " src/job.example.yaml; flags on the command line win"));
          continue;
        }
        Optional<Method> getter = getter(Customer360Options.class, option);
        if (getter.isEmpty() && flink.isPresent()) {
          getter = getter(flink.get(), option);
        }
        if (getter.isPresent()) {
          text.append(describe(option, getter.get()));
        } else if (flink.isPresent()) {
          throw new IllegalStateException(
              "--help lists --" + option + ", which no options declare");
        }
      }
      if (flink.isEmpty() && group.title().contains("Flink")) {
        text.append("  (the Flink runner is not on the classpath: its options are not shown)\n");
      }
    }
    return text.append('\n')
        .append("Every option of one options interface, in Beam's format: --help=<OptionsClass>\n")
        .append(
            "  --help=Customer360Options     this job's options, by the interface declaring them\n")
        .append("  --help=FlinkPipelineOptions   every option of the Flink runner\n")
        .append("  --help=DirectOptions          the DirectRunner's options\n")
        .append("  --help=PipelineOptions        Beam's options of every pipeline\n")
        .toString();
  }

  private static Optional<Class<?>> flinkOptions() {
    try {
      return Optional.of(Class.forName(FLINK_OPTIONS, false, Help.class.getClassLoader()));
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
  }

  static Optional<Method> getter(Class<?> options, String property) {
    String suffix = Character.toUpperCase(property.charAt(0)) + property.substring(1);
    for (String prefix : List.of("get", "is")) {
      try {
        return Optional.of(options.getMethod(prefix + suffix));
      } catch (NoSuchMethodException e) {
        // try the next prefix
      }
    }
    return Optional.empty();
  }

  /** {@code --name=<type> (default: x)} and the wrapped description below it. */
  private static String describe(String option, Method getter) {
    StringBuilder line = new StringBuilder("  --").append(option).append(valueHint(getter));
    Optional.ofNullable(COMPUTED_DEFAULTS.get(option))
        .or(() -> annotatedDefault(getter))
        .ifPresent(d -> line.append("  (default: ").append(d).append(')'));
    line.append('\n');
    Description description = getter.getAnnotation(Description.class);
    if (description != null) {
      line.append(wrap(description.value()));
    }
    return line.toString();
  }

  /**
   * "" for a boolean flag, else {@code =<Type>}, the choices of an enum, {@code ,...} for a list.
   */
  private static String valueHint(Method getter) {
    Class<?> type = getter.getReturnType();
    if (type == boolean.class || type == Boolean.class) {
      return "";
    }
    if (List.class.isAssignableFrom(type)) {
      Type generic = getter.getGenericReturnType();
      Type element =
          generic instanceof ParameterizedType
              ? ((ParameterizedType) generic).getActualTypeArguments()[0]
              : String.class;
      return "=" + typeName(element instanceof Class ? (Class<?>) element : String.class) + ",...";
    }
    return "=" + typeName(type);
  }

  private static String typeName(Class<?> type) {
    if (type == DurationOption.class) {
      return "<Duration>";
    }
    if (type == ZoneId.class) {
      return "<TimeZone>";
    }
    if (type.isEnum()) {
      return Arrays.stream(type.getEnumConstants())
          .map(String::valueOf)
          .collect(Collectors.joining("|", "<", ">"));
    }
    if (type == int.class || type == long.class) {
      return "<" + (type == int.class ? "Integer" : "Long") + ">";
    }
    return "<" + type.getSimpleName() + ">";
  }

  /** The value of a constant {@code @Default.*}; a factory's default is in its description. */
  private static Optional<String> annotatedDefault(Method getter) {
    for (Annotation a : getter.getAnnotations()) {
      if (a instanceof Default.String) {
        return Optional.of(((Default.String) a).value());
      } else if (a instanceof Default.Boolean) {
        return Optional.of(String.valueOf(((Default.Boolean) a).value()));
      } else if (a instanceof Default.Integer) {
        return Optional.of(String.valueOf(((Default.Integer) a).value()));
      } else if (a instanceof Default.Long) {
        return Optional.of(String.valueOf(((Default.Long) a).value()));
      } else if (a instanceof Default.Double) {
        return Optional.of(String.valueOf(((Default.Double) a).value()));
      } else if (a instanceof Default.Enum) {
        return Optional.of(((Default.Enum) a).value());
      } else if (a instanceof Default.InstanceFactory) {
        return constantDefault(((Default.InstanceFactory) a).value());
      }
    }
    return Optional.empty();
  }

  /**
   * The value of a factory that always gives the same one (durations, the zone, the sinks); other
   * factories (the run id, shards by runner) say their default in the description.
   */
  private static Optional<String> constantDefault(Class<? extends DefaultValueFactory<?>> factory) {
    if (DurationOption.Constant.class.isAssignableFrom(factory)
        || factory == TimeZoneOption.Utc.class) {
      return Optional.of(String.valueOf(newInstance(factory).create(null)));
    }
    if (factory == Customer360Options.FilesOnly.class) {
      return Optional.of(
          new Customer360Options.FilesOnly()
              .create(null).stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    return Optional.empty();
  }

  private static DefaultValueFactory<?> newInstance(Class<? extends DefaultValueFactory<?>> type) {
    try {
      return type.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make the default of " + type.getName(), e);
    }
  }

  /** The description's words in lines of at most {@link #WIDTH} characters, indented. */
  private static String wrap(String description) {
    StringBuilder text = new StringBuilder();
    StringBuilder line = new StringBuilder(INDENT);
    for (String word : description.strip().split("\\s+")) {
      if (line.length() > INDENT.length() && line.length() + 1 + word.length() > WIDTH) {
        text.append(line).append('\n');
        line = new StringBuilder(INDENT);
      }
      if (line.length() > INDENT.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    return text.append(line).append('\n').toString();
  }
}
