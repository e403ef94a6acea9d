package dev.customer360.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import dev.customer360.transforms.values.DeadLetter;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Reading a raw line into its schema's values: ruled fields exactly, the others converted where
 * lossless. Plain JUnit (no pipeline), so that mutation testing can run it.
 */
@RunWith(JUnit4.class)
public class RawJsonReaderTest {
  /** One field of each type, each under a rule ("r_") and without one ("i_"). */
  private static final SourceDefinition EVERY_TYPE =
      SourceDefinition.of(
          "every_type",
          Schema.builder()
              .addNullableField("r_text", FieldType.STRING)
              .addNullableField("r_int", FieldType.INT32)
              .addNullableField("r_long", FieldType.INT64)
              .addNullableField("r_double", FieldType.DOUBLE)
              .addNullableField("r_bool", FieldType.BOOLEAN)
              .addNullableField("i_text", FieldType.STRING)
              .addNullableField("i_int", FieldType.INT32)
              .addNullableField("i_long", FieldType.INT64)
              .addNullableField("i_double", FieldType.DOUBLE)
              .addNullableField("i_bool", FieldType.BOOLEAN)
              .addNullableField("i_time", FieldType.DATETIME)
              .build(),
          List.of(
              FieldRule.json("r_text", FieldRule.Kind.NON_EMPTY_TEXT),
              FieldRule.json("r_int", FieldRule.Kind.NON_NEGATIVE_INT),
              FieldRule.json("r_long", FieldRule.Kind.NON_EMPTY_TEXT),
              FieldRule.json("r_double", FieldRule.Kind.NON_EMPTY_TEXT),
              FieldRule.json("r_bool", FieldRule.Kind.NON_EMPTY_TEXT)));

  // Built per test, not once per class: mutation testing must see the constructor run.
  private final RawJsonReader reader = new RawJsonReader(EVERY_TYPE, 1000);

  private List<Object> read(String line) throws RejectedRecord {
    return reader.read(line, 0);
  }

  private static String rejection(RawJsonReader reader, String line) {
    RejectedRecord e = assertThrows(RejectedRecord.class, () -> reader.read(line, 0));
    assertEquals(DeadLetter.Stage.PARSE, e.stage);
    return e.getMessage();
  }

  @Test
  public void ruledFieldsOfTheirExactTypeAreRead() throws RejectedRecord {
    assertEquals(
        Arrays.asList("t", 7, 8000000000L, 1.5, true, null, null, null, null, null, null),
        read(
            "{\"r_text\":\"t\",\"r_int\":7,\"r_long\":8000000000,\"r_double\":1.5,"
                + "\"r_bool\":true}"));
    assertEquals(
        Arrays.asList(3.0, false), read("{\"r_double\":3,\"r_bool\":false}").subList(3, 5));
  }

  @Test
  public void ruledFieldsOfAnotherTypeAreEachNamed() {
    String message =
        rejection(
            reader,
            "{\"r_text\":1,\"r_int\":\"7\",\"r_long\":1.5,\"r_double\":\"x\",\"r_bool\":\"true\"}");
    assertEquals(
        "field 'r_text' must be a string but is a number 1;"
            + " field 'r_int' must be a whole number (32-bit) but is a string \"7\";"
            + " field 'r_long' must be a whole number (64-bit) but is a number 1.5;"
            + " field 'r_double' must be a number but is a string \"x\";"
            + " field 'r_bool' must be true or false but is a string \"true\""
            + RejectionReasons.FIX,
        message);
    assertThat(rejection(reader, "{\"r_int\":3000000000}"), startsWith("field 'r_int' must be"));
    assertThat(
        rejection(reader, "{\"r_long\":99999999999999999999}"), startsWith("field 'r_long' must"));
  }

  @Test
  public void unruledFieldsAreConvertedWhereLossless() throws RejectedRecord {
    assertEquals(
        Arrays.asList("8", 12, 8000000000L, 2.5, true, null),
        read("{\"i_text\":8,\"i_int\":\" 12 \",\"i_long\":\"8000000000\","
                + "\"i_double\":\" 2.5\",\"i_bool\":\"TRUE\",\"i_time\":\"2020-03-04\"}")
            .subList(5, 11));
    assertEquals(
        Arrays.asList("x", 1, 2L, 0.5, false),
        read("{\"i_text\":\"x\",\"i_int\":1,\"i_long\":2,\"i_double\":0.5,\"i_bool\":\"false\"}")
            .subList(5, 10));
    assertEquals(
        Arrays.asList("true", null, null, null, false),
        read("{\"i_text\":true,\"i_int\":[1],\"i_long\":{},\"i_double\":true,\"i_bool\":false}")
            .subList(5, 10));
    // Not a lossless conversion: left null, and the record is kept.
    assertEquals(
        Arrays.asList(null, null, null, null, null),
        read("{\"i_text\":[],\"i_int\":\"twelve\",\"i_long\":\"1.5\",\"i_double\":\"x\","
                + "\"i_bool\":\"yes\"}")
            .subList(5, 10));
    List<Object> notWhole = read("{\"i_int\":1.5,\"i_long\":1.5,\"i_bool\":1}");
    assertNull(notWhole.get(6));
    assertNull(notWhole.get(7));
    assertNull(notWhole.get(9));
  }

  @Test
  public void nullAndAbsentFieldsAreNull() throws RejectedRecord {
    List<Object> values = read("{\"r_text\":null,\"i_int\":null}");
    assertEquals(11, values.size());
    values.forEach(v -> assertNull(v));
  }

  @Test
  public void theListHasRoomForMoreValues() throws RejectedRecord {
    List<Object> values = reader.read("{}", 2);
    values.add("sql");
    values.add("line");
    assertEquals(13, values.size());
  }

  @Test
  public void aByteOrderMarkIsSkipped() throws RejectedRecord {
    assertEquals("t", read("\uFEFF{\"r_text\":\"t\"}").get(0));
  }

  @Test
  public void recordsThatAreNotOneObjectAreRejected() {
    assertEquals(
        "empty record: expected one JSON object per line" + RejectionReasons.FIX,
        rejection(reader, " "));
    assertThat(rejection(reader, "{\"r_text\":"), startsWith("not valid JSON at column "));
    assertThat(rejection(reader, "{} {}"), startsWith("not valid JSON"));
    assertThat(
        rejection(reader, "{\"r_text\":\"a\",\"r_text\":\"b\"}"),
        containsString("Duplicate field 'r_text'"));
    assertEquals(
        "record is a JSON array, expected a JSON object with the fields of every_type"
            + RejectionReasons.FIX,
        rejection(reader, "[1]"));
  }

  @Test
  public void recordsOverTheLimitAreRejectedUnparsed() throws RejectedRecord {
    RawJsonReader small = new RawJsonReader(EVERY_TYPE, 30);
    // 10 characters of 3 bytes each: 30 bytes plus the braces and quotes.
    String line = "{\"r_text\":\"" + "€".repeat(10) + "\"}";
    assertEquals(
        "record is 43 bytes, over the --maxRecordBytes limit of 30; it was not parsed."
            + " Raise --maxRecordBytes if records this large are legitimate",
        rejection(small, line));
    // Exactly at the limit is accepted, whatever it holds.
    RawJsonReader exact = new RawJsonReader(EVERY_TYPE, 43);
    assertEquals("€".repeat(10), exact.read(line, 0).get(0));
    // Short lines are not counted: 10 characters can never be over 30 bytes.
    assertEquals("abc", small.read("{\"i_text\":\"abc\"}", 0).get(5));
    assertThat(
        rejection(small, "{\"i_text\":\"" + "x".repeat(30) + "\"}"),
        startsWith("record is 43 bytes"));
  }
}
