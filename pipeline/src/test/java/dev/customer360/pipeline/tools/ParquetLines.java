package dev.customer360.pipeline.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Prints every record of the finished Parquet files below a directory as one JSON line, with the
 * fields the job's JSON files have: timestamps as {@code yyyy-MM-dd HH:mm:ss} UTC, so scripts
 * compare Parquet output with JSON output and the generator's expected engagements.
 *
 * <pre>ParquetLines DIR</pre>
 */
public final class ParquetLines {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private ParquetLines() {}

  public static void main(String[] args) throws IOException {
    List<Path> files;
    Path root = Path.of(args[0]);
    try (Stream<Path> all = Files.walk(root)) {
      // FileIO's temporary files live in hidden .temp-beam directories below the root.
      files =
          all.filter(p -> p.toString().endsWith(".parquet"))
              .filter(p -> !("/" + root.relativize(p)).contains("/."))
              .sorted()
              .collect(Collectors.toList());
    }
    StringBuilder out = new StringBuilder();
    for (Path file : files) {
      for (GenericRecord r : read(file)) {
        out.append(json(r)).append('\n');
      }
    }
    System.out.print(out);
  }

  /** Every record of one local Parquet file. */
  public static List<GenericRecord> read(Path file) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
            .build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        records.add(r);
      }
    }
    return records;
  }

  private static String json(GenericRecord r) {
    StringBuilder s = new StringBuilder("{");
    for (Schema.Field f : r.getSchema().getFields()) {
      Object value = r.get(f.name());
      s.append(s.length() > 1 ? "," : "").append('"').append(f.name()).append("\":");
      if (value == null) {
        s.append("null");
      } else if (isTimestamp(f.schema())) {
        long millis = value instanceof Instant i ? i.toEpochMilli() : ((Number) value).longValue();
        s.append('"').append(TIME.format(Instant.ofEpochMilli(millis))).append('"');
      } else if (value instanceof Number || value instanceof Boolean) {
        s.append(value);
      } else {
        s.append('"')
            .append(value.toString().replace("\\", "\\\\").replace("\"", "\\\""))
            .append('"');
      }
    }
    return s.append('}').toString();
  }

  private static boolean isTimestamp(Schema schema) {
    if (schema.getType() == Schema.Type.UNION) {
      return schema.getTypes().stream().anyMatch(ParquetLines::isTimestamp);
    }
    return schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
  }
}
