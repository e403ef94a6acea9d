package dev.customer360.transforms.sql;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** {@code xpaths(xml, name, path, ...)} on its own and inside SqlTransform, at several arities. */
@RunWith(JUnit4.class)
public class XpathsUdfTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String XML = "<c><a>1</a><b>2</b><d>3</d></c>";

  @Test
  public void everyArityReturnsTheNamedTexts() {
    assertEquals(Map.of("a", "1"), XpathsUdf.Pairs1.eval(XML, "a", "//a"));
    assertEquals(Map.of("a", "1", "b", "2"), XpathsUdf.Pairs2.eval(XML, "a", "//a", "b", "/c/b"));
    assertEquals(
        Map.of("a", "1", "b", "2", "d", "3"),
        XpathsUdf.Pairs3.eval(XML, "a", "//a", "b", "//b", "d", "//d"));
    assertEquals(10, XpathsUdf.ARITIES.size());
  }

  @Test
  public void missingElementIsAbsentSoSqlReadsNull() {
    assertEquals(Map.of(), XpathsUdf.Pairs1.eval(XML, "x", "//x"));
  }

  @Test
  public void resolvesByArityInsideSql() {
    Schema schema = Schema.builder().addNullableField("xml", Schema.FieldType.STRING).build();
    PCollection<Row> rows =
        pipeline.apply(
            Create.of(Row.withSchema(schema).addValue(XML).build()).withRowSchema(schema));
    PCollection<Row> out =
        rows.apply(
            StandardizationSql.parse(
                    "test.sql",
                    "select y['a'] as a1, x['b'] as b1, x['d'] as d1, x['zz'] as z1"
                        + " from (select xpaths(xml, 'a', '//a') as y,"
                        + " xpaths(xml, 'b', '//b', 'd', '/c/d') as x from PCOLLECTION)")
                .toSqlTransform());
    PAssert.that(out)
        .containsInAnyOrder(Row.withSchema(out.getSchema()).addValues("1", "2", "3", null).build());
    pipeline.run().waitUntilFinish();
  }
}
