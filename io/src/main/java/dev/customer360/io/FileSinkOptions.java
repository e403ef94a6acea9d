package dev.customer360.io;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where and how the file sink writes. */
public interface FileSinkOptions extends PipelineOptions {
  @Description(
      "Output directory (local path or s3://bucket/prefix). The job writes engagements/,"
          + " profiles/ and dead-letter/ below it as JSON lines, replacing files of an earlier run")
  @Default.String("out")
  String getOutput();

  void setOutput(String value);

  @Description(
      "Files per output. 0 lets the runner choose (a file per bundle: many small files, and slow"
          + " on the DirectRunner)")
  @Default.Integer(4)
  int getNumShards();

  void setNumShards(int value);
}
