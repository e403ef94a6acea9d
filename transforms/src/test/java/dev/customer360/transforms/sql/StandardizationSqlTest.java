package dev.customer360.transforms.sql;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class StandardizationSqlTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void insertIntoTransformedIsBlankedKeepingPositions() {
    String text = "-- comment\ninsert into transformed\nselect 1 from t;\n";
    StandardizationSql sql = StandardizationSql.parse("x.sql", text);
    String blanked = " ".repeat("insert into transformed".length());
    assertEquals("-- comment\n" + blanked + "\nselect 1 from t", sql.query());
  }

  @Test
  public void plainSelectIsAccepted() {
    assertEquals("select 1", StandardizationSql.parse("x.sql", "select 1").query());
    assertEquals(
        "/* c */ with a as (select 1) select * from a",
        StandardizationSql.parse("x.sql", "/* c */ with a as (select 1) select * from a;;")
            .query());
  }

  @Test
  public void otherInsertTargetIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StandardizationSql.parse("x.sql", "INSERT INTO other select 1"));
    assertThat(e.getMessage(), containsString("inserts into 'other'"));
  }

  @Test
  public void notAQueryIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StandardizationSql.parse("x.sql", "drop table t"));
    assertThat(e.getMessage(), startsWith("x.sql:"));
  }

  @Test
  public void bundledFilesAreTheSeedsSql() {
    assertThat(
        StandardizationSql.fromClasspath("clickstream").query(),
        containsString("to_timestamp(event_timestamp) as engagement_datetime"));
    assertThat(
        StandardizationSql.fromClasspath("call_log").query(),
        containsString("xpaths(xml, 'user_id', '//call_log/user_id'"));
  }

  @Test
  public void readsFromADirectoryAndNamesAMissingFile() throws Exception {
    Path dir = tmp.newFolder().toPath();
    Files.writeString(dir.resolve("pos.sql"), "insert into transformed select 1");
    assertEquals(
        " ".repeat("insert into transformed ".length()) + "select 1",
        StandardizationSql.fromDirectory(dir, "pos").query());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> StandardizationSql.fromDirectory(dir, "nope"));
    assertThat(e.getMessage(), containsString("nope.sql does not exist; check the directory"));
  }

  private static final String ISO = "yyyy-MM-dd'T'HH:mm:ssX";

  private static List<String> patternsOf(String select) {
    return StandardizationSql.parse("x.sql", "insert into transformed " + select)
        .timestampPatterns();
  }

  @Test
  public void timestampPatternsAreTheOnesToTimestampReadsInOrder() {
    assertEquals(
        List.of(Timestamps.DEFAULT_PATTERN),
        StandardizationSql.fromClasspath("clickstream").timestampPatterns());
    assertEquals(
        List.of(Timestamps.DEFAULT_PATTERN),
        StandardizationSql.fromClasspath("call_log").timestampPatterns());
    assertEquals(List.of(ISO), patternsOf("select to_timestamp(t, 'yyyy-MM-dd''T''HH:mm:ssX')"));
    assertEquals(
        List.of(Timestamps.DEFAULT_PATTERN, ISO),
        patternsOf(
            "select coalesce(to_timestamp(t), TO_TIMESTAMP ( t ,\n 'yyyy-MM-dd''T''HH:mm:ssX'))"
                + " as a, to_timestamp(t) as b from s"));
    // Nested parentheses and commas inside the first argument are not the pattern.
    assertEquals(
        List.of("dd.MM.yyyy HH:mm"),
        patternsOf("select to_timestamp(substring(t, 1, 16), 'dd.MM.yyyy HH:mm') from s"));
  }

  @Test
  public void timestampPatternsSkipCommentsAndTextInLiterals() {
    assertEquals(
        List.of(Timestamps.DEFAULT_PATTERN),
        patternsOf(
            "select to_timestamp(t) -- or to_timestamp(t, 'yyyy')\n"
                + " /* to_timestamp(t, 'MM') */ , 'to_timestamp(t, ''dd'')' as note from s"));
    assertEquals(List.of("HH:mm '--' dd"), patternsOf("select to_timestamp(t, 'HH:mm ''--'' dd')"));
    assertEquals(
        List.of(Timestamps.DEFAULT_PATTERN), patternsOf("select `to_timestamp` from s -- no call"));
  }

  @Test
  public void aPatternThatIsNotALiteralLeavesTheDefault() {
    assertEquals(
        List.of(Timestamps.DEFAULT_PATTERN),
        patternsOf("select coalesce(to_timestamp(t, 'yyyy'), to_timestamp(t, fmt)) from s"));
    assertEquals(
        List.of(Timestamps.DEFAULT_PATTERN),
        patternsOf("select to_timestamp(t, 'yyyy' || '-MM') from s"));
  }

  @Test
  public void anInvalidPatternIsRejectedNamingTheFile() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> patternsOf("select to_timestamp(t, 'yyyy-MM-dd bb')"));
    assertThat(
        e.getMessage(), startsWith("x.sql: to_timestamp pattern 'yyyy-MM-dd bb' is not a valid"));
    assertThat(e.getMessage(), containsString("fix it in the SQL"));
  }

  private static final StandardizationSql TWO_LINES =
      StandardizationSql.parse("src/sql/clickstream.sql", "select\n  usr_id from t");

  @Test
  public void aValidationErrorPointsAtItsLineAndColumn() {
    RuntimeException failure =
        new RuntimeException(
            "wrapped",
            new org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.runtime
                .CalciteContextException(
                "From line 2, column 3 to line 2, column 8: Column 'usr_id' not found\nmore",
                new RuntimeException("Column 'usr_id' not found"),
                2,
                3,
                2,
                8));
    IllegalArgumentException e = TWO_LINES.explain(failure);
    assertEquals(
        "src/sql/clickstream.sql:2:3: Column 'usr_id' not found\n"
            + "    2 |   usr_id from t\n"
            + "      |   ^\n"
            + "Fix the SQL in src/sql/clickstream.sql.",
        e.getMessage());
    assertEquals(failure, e.getCause());
    assertEquals("src/sql/clickstream.sql", TWO_LINES.origin());
  }

  @Test
  public void aParseErrorPointsAtItsLineAndColumn() {
    org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlParseException parse =
        new org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlParseException(
            "Encountered \"from\" at line 1, column 1.\nWas expecting one of: ...",
            new org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlParserPos(
                1, 1),
            null,
            null,
            null);
    assertEquals(
        "src/sql/clickstream.sql:1:1: Encountered \"from\" at line 1, column 1.\n"
            + "    1 | select\n"
            + "      | ^\n"
            + "Fix the SQL in src/sql/clickstream.sql.",
        TWO_LINES.explain(new RuntimeException(parse)).getMessage());
  }

  @Test
  public void aPositionOutsideTheQueryIsNamedButNotShown() {
    RuntimeException failure =
        new org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.runtime
            .CalciteContextException(
            "From line 3, column 1 to line 3, column 2: No such line\nmore",
            new RuntimeException("No such line"),
            3,
            1,
            3,
            2);
    assertEquals(
        "src/sql/clickstream.sql:3:1: No such line\n" + "Fix the SQL in src/sql/clickstream.sql.",
        TWO_LINES.explain(failure).getMessage());
  }

  @Test
  public void withoutAPositionTheRootCauseExplains() {
    RuntimeException failure =
        new RuntimeException("outer", new IllegalStateException("  No match found\n trace"));
    assertEquals(
        "src/sql/clickstream.sql: No match found\n" + "Fix the SQL in src/sql/clickstream.sql.",
        TWO_LINES.explain(failure).getMessage());
    assertEquals(
        "src/sql/clickstream.sql: java.lang.IllegalStateException\n"
            + "Fix the SQL in src/sql/clickstream.sql.",
        TWO_LINES.explain(new IllegalStateException()).getMessage());
  }
}
