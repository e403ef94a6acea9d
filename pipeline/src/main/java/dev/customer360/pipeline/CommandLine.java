package dev.customer360.pipeline;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import dev.customer360.transforms.DurationOption;
import dev.customer360.transforms.TimeZoneOption;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Reads the command line into {@link Customer360Options}. Beam converts each value to its option's
 * type (enums by name, durations through {@link DurationOption}, time zones through {@link
 * TimeZoneOption}) but its refusals name neither the flag nor what to write; this says both, in one
 * line per bad flag: {@code --window: 'abc' is not a duration; use e.g. 30s, 15m, 1h, 1d or
 * ISO-8601 PT1H}.
 */
final class CommandLine {
  private CommandLine() {}

  /** The options of {@code args}, validated; a bad value is refused naming its flag. */
  static Customer360Options parse(String[] args) {
    PipelineOptionsFactory.register(Customer360Options.class);
    Customer360Options options;
    try {
      options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Customer360Options.class);
    } catch (IllegalArgumentException refused) {
      throw explained(args, refused);
    }
    for (String arg : args) {
      // Beam reads a duration's or a zone's value as JSON when it is JSON: "null" would unset
      // the option.
      if (arg.startsWith("--") && arg.endsWith("=null")) {
        String name = arg.substring(2, arg.length() - "=null".length());
        Optional<Method> getter = Help.getter(Customer360Options.class, name);
        Optional<String> problem = getter.flatMap(g -> ownTypeProblem(g.getReturnType(), "null"));
        if (problem.isPresent()) {
          throw new IllegalArgumentException("--" + name + ": " + problem.get());
        }
      }
    }
    return options;
  }

  /**
   * Beam's refusal of {@code args} restated for the first flag Beam refuses on its own; unchanged
   * when no single flag is to blame (a missing required option) or the flag is not this job's (an
   * unknown option: {@link Cli#plain} words that one).
   */
  static IllegalArgumentException explained(String[] args, IllegalArgumentException refused) {
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        continue;
      }
      try {
        PipelineOptionsFactory.fromArgs(arg).as(Customer360Options.class);
      } catch (IllegalArgumentException alone) {
        int eq = arg.indexOf('=');
        String name = arg.substring(2, eq < 0 ? arg.length() : eq);
        Optional<Method> getter = Help.getter(Customer360Options.class, name);
        if (getter.isEmpty()) {
          return refused;
        }
        String value = eq < 0 ? "true" : arg.substring(eq + 1);
        return new IllegalArgumentException(
            "--" + name + ": " + problem(getter.get(), value, alone), refused);
      }
    }
    return refused;
  }

  /** What is wrong with {@code value} for the option read by {@code getter}, and what to write. */
  private static String problem(Method getter, String value, IllegalArgumentException refused) {
    Class<?> type = getter.getReturnType();
    boolean list = List.class.isAssignableFrom(type);
    if (list) {
      Type element =
          ((ParameterizedType) getter.getGenericReturnType()).getActualTypeArguments()[0];
      type = element instanceof Class ? (Class<?>) element : String.class;
    }
    if (value.isEmpty() || String.valueOf(refused.getMessage()).startsWith("Empty argument")) {
      return "no value given; give one, or leave the option out for its default";
    }
    if (type.isEnum()) {
      String choices =
          Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(joining(list));
      return "'" + badElement(refused, value) + "' is not one of " + choices;
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "'" + value + "' is not a whole number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "'" + value + "' is not true or false";
    }
    return ownTypeProblem(type, value).orElseGet(() -> rootMessage(refused));
  }

  /**
   * What this job's own reader of {@code type} ({@link DurationOption#parse}, {@link
   * TimeZoneOption#parse}) says about {@code value}; empty for the types Beam reads itself.
   */
  private static Optional<String> ownTypeProblem(Class<?> type, String value) {
    try {
      if (type == DurationOption.class) {
        DurationOption.parse(value);
        return Optional.of("'" + value + "' is not a duration here");
      }
      if (type == ZoneId.class) {
        TimeZoneOption.parse(value);
        return Optional.of("'" + value + "' is not a time zone here");
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining(boolean list) {
    return list
        ? Collectors.joining(", ", "", " (comma-separated, no spaces)")
        : Collectors.joining(" or ");
  }

  /** The one element of a list that Beam could not read, else the whole value. */
  private static String badElement(Throwable refused, String value) {
    for (Throwable t = refused; t != null; t = t.getCause()) {
      if (t instanceof InvalidFormatException) {
        return String.valueOf(((InvalidFormatException) t).getValue());
      }
    }
    return value;
  }

  private static String rootMessage(Throwable refused) {
    Throwable t = refused;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
