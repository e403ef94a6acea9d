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
  public void arityClassNTakesNPairsAndReturnsWhatExtractReturns() throws Exception {
    String xml =
        "<c><e1>1</e1><e2>2</e2><e3>3</e3><e4>4</e4><e5>5</e5><e6>6</e6><e7>7</e7>"
            + "<e8>8</e8><e9>9</e9><e10>10</e10></c>";
    for (int n = 1; n <= 10; n++) {
      Class<?> arity = XpathsUdf.ARITIES.get(n - 1);
      assertEquals("Pairs" + n, arity.getSimpleName());
      Class<?>[] strings = new Class<?>[2 * n + 1];
      Object[] args = new Object[2 * n + 1];
      java.util.Arrays.fill(strings, String.class);
      args[0] = xml;
      for (int i = 1; i <= n; i++) {
        // Pair i reads element e(n+1-i), so a swapped name or path shows.
        args[2 * i - 1] = "name" + i;
        args[2 * i] = "//e" + (n + 1 - i);
      }
      Object[] pairs = java.util.Arrays.copyOfRange(args, 1, args.length);
      assertEquals(
          arity.getSimpleName(),
          XpathsUdf.extract(xml, java.util.Arrays.copyOf(pairs, pairs.length, String[].class)),
          arity.getMethod("eval", strings).invoke(null, args));
      assertEquals(
          String.valueOf(n),
          ((Map<?, ?>) arity.getMethod("eval", strings).invoke(null, args)).get("name1"));
    }
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
