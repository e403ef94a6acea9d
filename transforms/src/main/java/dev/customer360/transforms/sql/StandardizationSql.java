package dev.customer360.transforms.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.runtime.CalciteContextException;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlParseException;

/**
 * The standardization SQL of one source, as written in {@code src/sql/<source>.sql}, in the seed's
 * dialect: {@code insert into transformed select ...}. The {@code insert into <target>} clause
 * names the output (the engagement stream); the pipeline runs the {@code select} with {@link
 * SqlTransform}. The clause is blanked out rather than cut so that SQL error positions (line and
 * column) still point into the file as written.
 */
public final class StandardizationSql implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The output every standardization SQL inserts into. */
  public static final String TARGET = "transformed";

  private static final Pattern INSERT_INTO =
      Pattern.compile(
          "\\A((?:\\s|--[^\\n]*\\n|/\\*.*?\\*/)*)(insert\\s+into\\s+`?(\\w+)`?)",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private final String origin;
  private final String query;
  private final List<String> timestampPatterns;

  private StandardizationSql(String origin, String query, List<String> timestampPatterns) {
    this.origin = origin;
    this.query = query;
    this.timestampPatterns = timestampPatterns;
  }

  /** Parses SQL text; {@code origin} (a file name) is used in error messages. */
  public static StandardizationSql parse(String origin, String text) {
    // Trailing semicolons end a statement in the seed's files; SqlTransform wants none.
    String body = text.replaceFirst("[\\s;]+\\z", "");
    Matcher m = INSERT_INTO.matcher(body);
    if (m.find()) {
      if (!m.group(3).equalsIgnoreCase(TARGET)) {
        throw new IllegalArgumentException(
            origin
                + ": inserts into '"
                + m.group(3)
                + "', but standardization SQL must insert"
                + " into '"
                + TARGET
                + "' (the engagement stream); change the insert target");
      }
      body = body.substring(0, m.start(2)) + blank(m.group(2)) + body.substring(m.end(2));
    }
    if (!body.strip()
        .toLowerCase()
        .matches("(?s)(--[^\\n]*\\n\\s*|/\\*.*?\\*/\\s*)*(select|with)\\b.*")) {
      throw new IllegalArgumentException(
          origin + ": expected 'insert into " + TARGET + " select ...' or a 'select ...' query");
    }
    return new StandardizationSql(origin, body, timestampPatterns(origin, body));
  }

  /** Reads {@code <dir>/<source>.sql}. */
  public static StandardizationSql fromDirectory(Path dir, String source) {
    Path file = dir.resolve(source + ".sql");
    try {
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "No SQL for source '" + source + "': " + file + " does not exist; check the directory",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** Reads {@code sql/<source>.sql} from the classpath (the copy of src/sql built into the jar). */
  public static StandardizationSql fromClasspath(String source) {
    String resource = "sql/" + source + ".sql";
    try (InputStream in = StandardizationSql.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "No SQL for source '"
                + source
                + "' on the classpath ("
                + resource
                + "); add"
                + " src/sql/"
                + source
                + ".sql and rebuild, or give a directory of SQL files");
      }
      return parse("classpath:" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  private static String blank(String s) {
    return s.replaceAll("[^\\n]", " ");
  }

  /** Where the SQL came from, for messages. */
  public String origin() {
    return origin;
  }

  /** A query that starts with a plain {@code select} (not {@code select distinct}): its start. */
  private static final Pattern PLAIN_SELECT =
      Pattern.compile(
          "\\A((?:\\s|--[^\\n]*\\n|/\\*.*?\\*/)*select\\s+)(?!(?:distinct|all)\\b)",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /**
   * This SQL also selecting {@code columns} first, or {@code null} if it does not start with a
   * plain {@code select} (then adding columns could change what it selects). Whether the result
   * plans (the columns must be those of the table it selects from) is for the caller to try.
   */
  public StandardizationSql selectingFirst(List<String> columns) {
    Matcher m = PLAIN_SELECT.matcher(query);
    if (!m.find()) {
      return null;
    }
    String selected =
        query.substring(0, m.end()) + String.join(", ", columns) + ", " + query.substring(m.end());
    return new StandardizationSql(origin, selected, timestampPatterns);
  }

  /** The runnable query: the file's text with the insert clause blanked out. */
  public String query() {
    return query;
  }

  /**
   * The timestamp patterns this SQL reads, in the order it names them: the literal pattern of each
   * {@code to_timestamp(text, 'pattern')} call, and {@link Timestamps#DEFAULT_PATTERN} for each
   * {@code to_timestamp(text)}. If it calls {@code to_timestamp} with a pattern that is not a
   * literal (a column, an expression), which patterns it reads is not known from its text, and if
   * it never calls it none are: both give the default pattern alone.
   */
  public List<String> timestampPatterns() {
    return timestampPatterns;
  }

  private static List<String> timestampPatterns(String origin, String sql) {
    List<SqlToken> tokens = SqlToken.scan(sql);
    Set<String> patterns = new LinkedHashSet<>();
    for (int i = 0; i + 1 < tokens.size(); i++) {
      if (!tokens.get(i).isWord("to_timestamp") || !tokens.get(i + 1).is("(")) {
        continue;
      }
      List<List<SqlToken>> arguments = SqlToken.arguments(tokens, i + 2);
      if (arguments.size() == 1) {
        patterns.add(Timestamps.DEFAULT_PATTERN);
      } else if (arguments.size() == 2
          && arguments.get(1).size() == 1
          && arguments.get(1).get(0).isString()) {
        patterns.add(checkedPattern(origin, arguments.get(1).get(0).text()));
      } else {
        return List.of(Timestamps.DEFAULT_PATTERN);
      }
    }
    return patterns.isEmpty() ? List.of(Timestamps.DEFAULT_PATTERN) : List.copyOf(patterns);
  }

  private static String checkedPattern(String origin, String pattern) {
    try {
      Timestamps.requireValidPattern(pattern);
      return pattern;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          origin
              + ": to_timestamp pattern '"
              + pattern
              + "' is not a valid date-time pattern ("
              + e.getMessage()
              + "); fix it in the SQL (letters as in java.time.format.DateTimeFormatter)",
          e);
    }
  }

  /**
   * A word, a string literal or a punctuation character of SQL text; whitespace and comments are
   * skipped. Just enough of SQL's lexical rules to find {@code to_timestamp} calls and their
   * literal patterns.
   */
  private record SqlToken(boolean string, String text) {
    boolean isString() {
      return string;
    }

    boolean isWord(String word) {
      return !string && text.equalsIgnoreCase(word);
    }

    boolean is(String punctuation) {
      return !string && text.equals(punctuation);
    }

    static List<SqlToken> scan(String sql) {
      List<SqlToken> tokens = new ArrayList<>();
      int i = 0;
      while (i < sql.length()) {
        char c = sql.charAt(i);
        if (sql.startsWith("--", i)) {
          int newline = sql.indexOf('\n', i);
          i = newline < 0 ? sql.length() : newline + 1;
        } else if (sql.startsWith("/*", i)) {
          int end = sql.indexOf("*/", i + 2);
          i = end < 0 ? sql.length() : end + 2;
        } else if (c == '\'') {
          i = literal(sql, i, tokens);
        } else if (c == '`' || c == '"') {
          // A quoted identifier: a word that may hold anything but its quote.
          int end = sql.indexOf(c, i + 1);
          tokens.add(new SqlToken(false, sql.substring(i + 1, end < 0 ? sql.length() : end)));
          i = end < 0 ? sql.length() : end + 1;
        } else if (Character.isLetterOrDigit(c) || c == '_') {
          int start = i;
          while (i < sql.length()
              && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
          }
          tokens.add(new SqlToken(false, sql.substring(start, i)));
        } else {
          if (!Character.isWhitespace(c)) {
            tokens.add(new SqlToken(false, String.valueOf(c)));
          }
          i++;
        }
      }
      return tokens;
    }

    /** Adds the string literal opening at {@code start} ('' in it is one quote); its end. */
    private static int literal(String sql, int start, List<SqlToken> tokens) {
      StringBuilder value = new StringBuilder();
      int i = start + 1;
      while (i < sql.length()) {
        if (sql.charAt(i) != '\'') {
          value.append(sql.charAt(i++));
        } else if (sql.startsWith("''", i)) {
          value.append('\'');
          i += 2;
        } else {
          i++;
          break;
        }
      }
      tokens.add(new SqlToken(true, value.toString()));
      return i;
    }

    /** The top-level arguments of the call whose {@code (} is just before {@code tokens[from]}. */
    static List<List<SqlToken>> arguments(List<SqlToken> tokens, int from) {
      List<List<SqlToken>> arguments = new ArrayList<>();
      List<SqlToken> current = new ArrayList<>();
      int depth = 0;
      for (int i = from; i < tokens.size(); i++) {
        SqlToken t = tokens.get(i);
        if (depth == 0 && t.is(")")) {
          break;
        } else if (depth == 0 && t.is(",")) {
          arguments.add(current);
          current = new ArrayList<>();
          continue;
        } else if (t.is("(")) {
          depth++;
        } else if (t.is(")")) {
          depth--;
        }
        current.add(t);
      }
      if (!current.isEmpty() || !arguments.isEmpty()) {
        arguments.add(current);
      }
      return arguments;
    }
  }

  /**
   * A planning failure of this query (a typo, an unknown column or function) as one message that
   * names the file, line and column and shows the line, e.g.
   *
   * <pre>
   * src/sql/clickstream.sql:3:8: Column 'usr_id' not found in any table
   *     3 | select usr_id, to_timestamp(event_timestamp) ...
   *       |        ^
   * </pre>
   */
  public IllegalArgumentException explain(RuntimeException failure) {
    int[] at = null;
    String message = null;
    for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
      int[] position = position(t);
      if (position != null) {
        at = position;
        message =
            firstLine(t.getMessage())
                .replaceFirst("^From line \\d+, column \\d+ to line \\d+, column \\d+: ", "");
      }
      if (message == null && t.getCause() == null) {
        message = firstLine(t.getMessage());
      }
    }
    StringBuilder s = new StringBuilder(origin);
    if (at != null) {
      s.append(':').append(at[0]).append(':').append(at[1]);
    }
    s.append(": ").append(message == null ? failure.toString() : message);
    String[] lines = query.split("\n", -1);
    if (at != null && at[0] >= 1 && at[0] <= lines.length) {
      String gutter = String.format("%5d | ", at[0]);
      s.append('\n').append(gutter).append(lines[at[0] - 1]);
      s.append('\n')
          .append(" ".repeat(gutter.length() - 2))
          .append("| ")
          .append(" ".repeat(Math.max(0, at[1] - 1)))
          .append('^');
    }
    s.append("\nFix the SQL in ").append(origin).append('.');
    return new IllegalArgumentException(s.toString(), failure);
  }

  /**
   * Line and column of a Calcite parse or validation error. Beam vendors Calcite under a versioned
   * package, reached through Beam SQL's dependency: a Beam upgrade that moves it fails these
   * imports at compile time (and StandardizeSourceTest checks the positions).
   */
  private static int[] position(Throwable t) {
    if (t instanceof CalciteContextException validation && validation.getPosLine() > 0) {
      return new int[] {validation.getPosLine(), validation.getPosColumn()};
    }
    if (t instanceof SqlParseException parse
        && parse.getPos() != null
        && parse.getPos().getLineNum() > 0) {
      return new int[] {parse.getPos().getLineNum(), parse.getPos().getColumnNum()};
    }
    return null; // no position then; the message still names the file
  }

  private static String firstLine(String message) {
    if (message == null) {
      return null;
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }

  /** A {@link SqlTransform} for this query with the seed's UDFs registered. */
  public SqlTransform toSqlTransform() {
    SqlTransform transform =
        SqlTransform.query(query)
            .registerUdf("to_timestamp", ToTimestampUdf.WithDefaultPattern.class)
            .registerUdf("to_timestamp", ToTimestampUdf.WithPattern.class);
    for (Class<? extends org.apache.beam.sdk.extensions.sql.BeamSqlUdf> arity : XpathsUdf.ARITIES) {
      transform = transform.registerUdf("xpaths", arity);
    }
    return transform;
  }
}
