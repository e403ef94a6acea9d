package dev.customer360.transforms.sql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.time.LocalDateTime;
import java.util.List;
import java.util.TimeZone;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.runtime.SqlFunctions;
import org.joda.time.Instant;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import org.junit.runners.model.Statement;

/**
 * {@code to_timestamp} on its own and inside SqlTransform, in a JVM away from UTC on purpose: the
 * value must not shift with the JVM's zone. Calcite captures the zone when it loads, so the test
 * cannot set it; it checks it instead (Surefire's argLine sets it for this module).
 */
@RunWith(JUnit4.class)
public class ToTimestampUdfTest {
  private static final String ZONE = "America/New_York";

  @ClassRule
  public static final TestRule IN_NEW_YORK =
      (base, description) ->
          new Statement() {
            @Override
            public void evaluate() throws Throwable {
              long july = Instant.parse("2020-07-01T12:00:00Z").getMillis();
              long calciteOffset = calciteMillis(new java.sql.Timestamp(july)) - july;
              if (!TimeZone.getDefault().getID().equals(ZONE) || calciteOffset != -4 * 3_600_000L) {
                throw new AssertionError(
                    "ToTimestampUdfTest checks the SQL timestamp path away from UTC and needs a JVM"
                        + " started in "
                        + ZONE
                        + " (Beam SQL's Calcite offsets by "
                        + calciteOffset / 3_600_000.0
                        + " h in July, this JVM's zone is "
                        + TimeZone.getDefault().getID()
                        + "): run it with -Duser.timezone="
                        + ZONE
                        + ", as the root pom's Surefire argLine does");
              }
              base.evaluate();
            }
          };

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /** What Beam SQL's generated code does with the returned value. */
  private static long calciteMillis(java.sql.Timestamp t) {
    return SqlFunctions.toLong(t);
  }

  @Test
  public void calciteShiftsByThisJvmsZone() {
    // Guards the test below: in UTC it would pass without any shift.
    java.sql.Timestamp noon =
        new java.sql.Timestamp(Instant.parse("2020-07-01T12:00:00Z").getMillis());
    assertEquals(-4 * 3_600_000L, calciteMillis(noon) - noon.getTime()); // EDT
    assertEquals(
        TimeZone.getDefault().getOffset(noon.getTime()), calciteMillis(noon) - noon.getTime());
  }

  @Test
  public void returnsWallClockAsUtcMillisAfterCalcitesZoneShift() {
    java.sql.Timestamp t = ToTimestampUdf.WithDefaultPattern.eval("2020-03-04 13:15:12");
    assertEquals(Instant.parse("2020-03-04T13:15:12Z").getMillis(), calciteMillis(t));
    java.sql.Timestamp summer =
        ToTimestampUdf.WithPattern.eval("07/01/2020 12:00", "MM/dd/yyyy HH:mm");
    assertEquals(Instant.parse("2020-07-01T12:00:00Z").getMillis(), calciteMillis(summer));
  }

  @Test
  public void wallClockTimeInTheJvmZonesDaylightSavingGapFailsLoudly() {
    // This JVM runs in America/New_York (checked by IN_NEW_YORK): 02:30 did not exist there.
    IllegalStateException e =
        org.junit.Assert.assertThrows(
            IllegalStateException.class,
            () -> ToTimestampUdf.WithDefaultPattern.eval("2020-03-08 02:30:00"));
    org.hamcrest.MatcherAssert.assertThat(
        e.getMessage(), org.hamcrest.Matchers.containsString("-Duser.timezone=UTC"));
  }

  @Test
  public void invalidOrNullTextIsNullLikeFlinkSql() {
    assertNull(ToTimestampUdf.WithDefaultPattern.eval("2020-13-45 99:99:99"));
    assertNull(ToTimestampUdf.WithDefaultPattern.eval(null));
    assertNull(ToTimestampUdf.toSqlTimestamp((LocalDateTime) null));
  }

  @Test
  public void worksInsideSqlWithBothArities() {
    Schema schema = Schema.builder().addNullableField("t", Schema.FieldType.STRING).build();
    PCollection<Row> rows =
        pipeline.apply(
            Create.of(
                    List.of(
                        Row.withSchema(schema).addValue("2020-11-16 14:32:19").build(),
                        Row.withSchema(schema).addValue("not a time").build()))
                .withRowSchema(schema));
    PCollection<Row> out =
        rows.apply(
            StandardizationSql.parse(
                    "test.sql",
                    "select to_timestamp(t) as a, to_timestamp(t, 'yyyy-MM-dd HH:mm:ss') as b"
                        + " from PCOLLECTION")
                .toSqlTransform());
    Schema outSchema = out.getSchema();
    Instant expected = Instant.parse("2020-11-16T14:32:19Z");
    PAssert.that(out)
        .containsInAnyOrder(
            Row.withSchema(outSchema).addValues(expected, expected).build(),
            Row.withSchema(outSchema).addValues(null, null).build());
    pipeline.run().waitUntilFinish();
  }
}
