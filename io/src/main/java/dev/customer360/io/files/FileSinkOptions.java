package dev.customer360.io.files;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where and how the file sink writes: local disk or any S3-compatible object store. */
public interface FileSinkOptions extends PipelineOptions {
  @Description(
      "Output directory: a local path or s3://bucket/prefix. Each run writes engagements/,"
          + " profiles/ and dead-letter/ below it in a directory of its own (run=<id>/),"
          + " partitioned by date (and hour), and lists its files in _manifests/<id>.json when it"
          + " has succeeded; only then are the runs it replaces removed")
  @Default.String("out")
  String getOutput();

  void setOutput(String value);

  @Description(
      "This run's id: the name of its directories below --output and of its manifest. Default: the"
          + " start time in UTC and a random suffix, so ids sort by start")
  @Default.InstanceFactory(RunIdFactory.class)
  String getRunId();

  void setRunId(String value);

  /** {@code 20261130T150102Z-3f2a}: sorts by start time, unique per start. */
  final class RunIdFactory implements DefaultValueFactory<String> {
    private static final java.time.format.DateTimeFormatter START =
        java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    @Override
    public String create(PipelineOptions options) {
      return START.format(java.time.Instant.now())
          + "-"
          + String.format(
              "%04x", java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000));
    }
  }

  @Description("File format: json (JSON lines) or parquet (snappy-compressed, typed)")
  @Default.Enum("json")
  WriteOutputFiles.Format getFormat();

  void setFormat(WriteOutputFiles.Format value);

  @Description("Compression of JSON-lines files: none or gzip")
  @Default.Enum("none")
  WriteOutputFiles.JsonCompression getCompression();

  void setCompression(WriteOutputFiles.JsonCompression value);

  @Description(
      "Files per partition and window. 0 lets the runner choose (batch only): JSON then goes"
          + " straight from each worker into files of its own, without a grouping (fastest; on"
          + " Flink as many files as the parallelism, on the DirectRunner one per bundle)")
  @Default.Integer(1)
  int getNumShards();

  void setNumShards(int value);

  @Description(
      "S3 endpoint for S3-compatible stores (MinIO, Ceph, s3proxy...), e.g. http://localhost:9000;"
          + " empty = AWS")
  String getS3Endpoint();

  void setS3Endpoint(String value);

  @Description("S3 region; default: the AWS region chain, or us-east-1 with --s3Endpoint")
  String getS3Region();

  void setS3Region(String value);

  @Description("Path-style S3 addressing (bucket in the path); default: on with --s3Endpoint")
  Boolean getS3PathStyle();

  void setS3PathStyle(Boolean value);
}
