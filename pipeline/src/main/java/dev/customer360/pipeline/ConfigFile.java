package dev.customer360.pipeline;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * {@code --config=job.yaml}: the job's options in a YAML file, one {@code option: value} per line,
 * option names as the flags without {@code --} (see {@code src/job.example.yaml}); a list is the
 * comma-separated value ({@code sinks: [files, postgres]}). The command line wins over the file.
 * Names and value types are checked here, so a mistake is reported with the file and line.
 */
final class ConfigFile {
  private ConfigFile() {}

  private static final YAMLFactory YAML =
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** The arguments with the config file's options added before them (so given flags win). */
  static String[] apply(String[] args) {
    String file = null;
    List<String> rest = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--config=")) {
        file = arg.substring("--config=".length());
      } else {
        rest.add(arg);
      }
    }
    if (file == null) {
      return args;
    }
    List<String> merged = new ArrayList<>();
    for (Map.Entry<String, String> option : read(Path.of(file)).entrySet()) {
      boolean given =
          rest.stream()
              .anyMatch(
                  a ->
                      a.equals("--" + option.getKey())
                          || a.startsWith("--" + option.getKey() + "="));
      if (!given) {
        merged.add("--" + option.getKey() + "=" + option.getValue());
      }
    }
    merged.addAll(rest);
    return merged.toArray(new String[0]);
  }

  /** The file's options in file order, each value as its flag would give it. */
  static Map<String, String> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--config=" + file + " does not exist");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(
          "--config=" + file + " cannot be read: permission denied; make it readable");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--config=" + file + " cannot be read (" + e + "); give a UTF-8 text file", e);
    }
    Map<String, String> options = new LinkedHashMap<>();
    try (JsonParser yaml = YAML.createParser(text)) {
      JsonToken first = yaml.nextToken();
      if (first == null) {
        return options; // empty, or comments only
      }
      if (first != JsonToken.START_OBJECT) {
        throw at(file, yaml, "expected 'option: value', got '" + yaml.getText() + "'");
      }
      while (yaml.nextToken() == JsonToken.FIELD_NAME) {
        String key = yaml.currentName().replaceFirst("^--", "");
        Method getter = option(file, yaml, key);
        yaml.nextToken();
        options.put(key, value(file, yaml, key, getter.getReturnType()));
      }
      if (yaml.nextToken() != null) {
        throw at(file, yaml, "a second YAML document ('---'); put all options in one");
      }
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(
          file + " line " + syntaxError(e) + "; write one 'option: value' per line", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("--config=" + file + " cannot be read: " + e, e);
    }
    return options;
  }

  /** "N: problem", from snakeyaml's marks when it has them (its message quotes the source). */
  private static String syntaxError(JsonParseException e) {
    if (e.getCause() instanceof MarkedYAMLException) {
      MarkedYAMLException yaml = (MarkedYAMLException) e.getCause();
      String where = (yaml.getProblemMark().getLine() + 1) + ": " + yaml.getProblem();
      return yaml.getContextMark() == null
          ? where
          : where
              + " ("
              + yaml.getContext()
              + " on line "
              + (yaml.getContextMark().getLine() + 1)
              + ")";
    }
    return e.getLocation().getLineNr() + ": " + e.getOriginalMessage(); // e.g. a duplicate option
  }

  /** The getter of option {@code key} in this job's or Beam's registered options. */
  private static Method option(Path file, JsonParser yaml, String key) {
    if (key.equals("config")) {
      throw at(file, yaml, "'config' cannot be set in a config file; give it on the command line");
    }
    List<Class<?>> known = new ArrayList<>();
    known.add(Customer360Options.class);
    known.addAll(PipelineOptionsFactory.getRegisteredOptions());
    for (Class<?> options : known) {
      Optional<Method> getter = Help.getter(options, key);
      if (getter.isPresent()) {
        return getter.get();
      }
    }
    String hint =
        known.stream()
            .flatMap(options -> Arrays.stream(options.getMethods()))
            .map(getter -> getter.getName().replaceFirst("^(get|is)", ""))
            .filter(name -> name.equalsIgnoreCase(key))
            .map(
                name ->
                    " (did you mean "
                        + Character.toLowerCase(name.charAt(0))
                        + name.substring(1)
                        + "?)")
            .findFirst()
            .orElse("");
    throw at(
        file,
        yaml,
        "'"
            + key
            + "' is not an option of this job"
            + hint
            + "; option names are the flags without --, as in src/job.example.yaml and --help");
  }

  /** The value at the parser as flag text, checked against the option's type. */
  private static String value(Path file, JsonParser yaml, String key, Class<?> type)
      throws IOException {
    // Text options take comma-separated values (--sinks=files,postgres), as lists do.
    boolean listOrText =
        type == String.class || type.isArray() || Collection.class.isAssignableFrom(type);
    switch (yaml.currentToken()) {
      case START_OBJECT:
        throw at(
            file,
            yaml,
            key
                + " takes "
                + (listOrText ? "a value or a list" : kind(type))
                + ", not nested 'name: value' lines");
      case START_ARRAY:
        if (!listOrText) {
          throw at(file, yaml, key + " takes " + kind(type) + ", not a list");
        }
        List<String> items = new ArrayList<>();
        while (yaml.nextToken() != JsonToken.END_ARRAY) {
          if (yaml.currentToken().isStructStart()) {
            throw at(file, yaml, key + " takes a list of plain values, not of lists or maps");
          }
          items.add(yaml.getText());
        }
        return String.join(",", items);
      default:
        // An empty value ("maxReadTime:") is an empty text, as --maxReadTime= gives it.
        String text = yaml.currentToken() == JsonToken.VALUE_NULL ? "" : yaml.getText();
        if (text.isEmpty() && !listOrText) {
          throw at(
              file,
              yaml,
              key
                  + " has no value; give "
                  + kind(type)
                  + ", or remove the line to keep the default");
        }
        if (!fits(yaml.currentToken(), text, type)) {
          throw at(
              file,
              yaml,
              key
                  + ": '"
                  + text
                  + "' is not "
                  + kind(type)
                  + "; write e.g. "
                  + key
                  + ": "
                  + sample(type));
        }
        // YAML's other spellings of a boolean (yes, on) as the flag's true/false.
        return yaml.currentToken().isBoolean() ? String.valueOf(yaml.getBooleanValue()) : text;
    }
  }

  private static final Set<Class<?>> BOOLEANS = Set.of(boolean.class, Boolean.class);
  private static final Set<Class<?>> WHOLE_NUMBERS =
      Set.of(int.class, Integer.class, long.class, Long.class, short.class, Short.class);
  private static final Set<Class<?>> NUMBERS =
      Set.of(double.class, Double.class, float.class, Float.class);

  /** Quoted forms ("3", "true") are accepted: Beam parses the flag's text either way. */
  private static boolean fits(JsonToken token, String text, Class<?> type) {
    if (BOOLEANS.contains(type)) {
      return token.isBoolean() || text.equals("true") || text.equals("false");
    }
    if (WHOLE_NUMBERS.contains(type)) {
      return token == JsonToken.VALUE_NUMBER_INT || text.matches("-?[0-9]+");
    }
    if (NUMBERS.contains(type)) {
      return token.isNumeric() || text.matches("-?[0-9]+(\\.[0-9]+)?");
    }
    return true; // text, enums, durations: their own checks name the flag and the choices
  }

  private static String kind(Class<?> type) {
    return BOOLEANS.contains(type)
        ? "true or false"
        : WHOLE_NUMBERS.contains(type)
            ? "a whole number"
            : NUMBERS.contains(type) ? "a number" : "one value";
  }

  private static String sample(Class<?> type) {
    return BOOLEANS.contains(type) ? "true" : WHOLE_NUMBERS.contains(type) ? "3" : "0.5";
  }

  private static IllegalArgumentException at(Path file, JsonParser yaml, String problem) {
    return new IllegalArgumentException(
        file + " line " + yaml.getTokenLocation().getLineNr() + ": " + problem);
  }
}
