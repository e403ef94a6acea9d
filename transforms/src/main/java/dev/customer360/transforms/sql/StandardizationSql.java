package dev.customer360.transforms.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.extensions.sql.SqlTransform;

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

  private StandardizationSql(String origin, String query) {
    this.origin = origin;
    this.query = query;
  }

  /** Parses SQL text; {@code origin} (a file name) is used in error messages. */
  public static StandardizationSql parse(String origin, String text) {
    // Trailing semicolons end a statement in the seed's files; SqlTransform wants none.
    String body = text.replaceFirst("[\\s;]+\\z", "");
    Matcher m = INSERT_INTO.matcher(body);
    if (m.find()) {
      if (!m.group(3).equalsIgnoreCase(TARGET)) {
        throw new IllegalArgumentException(
            origin + ": inserts into '" + m.group(3) + "', but standardization SQL must insert"
                + " into '" + TARGET + "' (the engagement stream); change the insert target");
      }
      body = body.substring(0, m.start(2)) + blank(m.group(2)) + body.substring(m.end(2));
    }
    if (!body.strip().toLowerCase().matches("(?s)(--[^\\n]*\\n\\s*|/\\*.*?\\*/\\s*)*(select|with)\\b.*")) {
      throw new IllegalArgumentException(
          origin + ": expected 'insert into " + TARGET + " select ...' or a 'select ...' query");
    }
    return new StandardizationSql(origin, body);
  }

  /** Reads {@code <dir>/<source>.sql}. */
  public static StandardizationSql fromDirectory(Path dir, String source) {
    Path file = dir.resolve(source + ".sql");
    try {
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "No SQL for source '" + source + "': " + file + " does not exist; check --sqlDir", e);
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
            "No SQL for source '" + source + "' on the classpath (" + resource + "); add"
                + " src/sql/" + source + ".sql and rebuild, or pass --sqlDir");
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

  /** The runnable query: the file's text with the insert clause blanked out. */
  public String query() {
    return query;
  }

  /** A {@link SqlTransform} for this query with the seed's UDFs registered. */
  public SqlTransform toSqlTransform() {
    SqlTransform transform =
        SqlTransform.query(query)
            .registerUdf("to_timestamp", ToTimestampUdf.WithDefaultPattern.class)
            .registerUdf("to_timestamp", ToTimestampUdf.WithPattern.class);
    for (Class<? extends org.apache.beam.sdk.extensions.sql.BeamSqlUdf> arity :
        XpathsUdf.ARITIES) {
      transform = transform.registerUdf("xpaths", arity);
    }
    return transform;
  }
}
