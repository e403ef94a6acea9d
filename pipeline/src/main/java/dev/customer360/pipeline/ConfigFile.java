package dev.customer360.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --config=job.yaml}: the job's options in a file, one {@code name: value} (or {@code
 * name=value}) per line, {@code #} comments (whole-line or after a value); the command line wins
 * over the file. Flat keys only: the option names without {@code --}, as in {@code
 * src/job.example.yaml}.
 */
final class ConfigFile {
  private ConfigFile() {}

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

  static Map<String, String> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--config=" + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("--config=" + file + " cannot be read: " + e.getMessage());
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      int equals = line.indexOf('=');
      int sep = colon < 0 ? equals : equals < 0 ? colon : Math.min(colon, equals);
      if (sep <= 0) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": expected 'option: value', got '" + line + "'");
      }
      String key = line.substring(0, sep).strip().replaceFirst("^--", "");
      String value = line.substring(sep + 1).strip();
      if (!value.startsWith("\"") && !value.startsWith("'")) {
        // An inline comment starts at " #".
        int comment = value.indexOf(" #");
        value =
            (comment >= 0 ? value.substring(0, comment) : value.startsWith("#") ? "" : value)
                .strip();
      }
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      if (!key.matches("[A-Za-z][A-Za-z0-9]*")) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (i + 1)
                + ": '"
                + key
                + "' is not an option name (e.g. callLogInput)");
      }
      options.put(key, value);
    }
    return options;
  }
}
