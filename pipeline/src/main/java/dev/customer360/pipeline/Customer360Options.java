package dev.customer360.pipeline;

import dev.customer360.io.FileSinkOptions;
import dev.customer360.io.FileSourceOptions;
import dev.customer360.io.postgres.PostgresSinkOptions;
import dev.customer360.transforms.EngagementOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Every option of the job: the mixins of the parts it wires together. */
public interface Customer360Options
    extends FileSourceOptions, FileSinkOptions, EngagementOptions, PostgresSinkOptions {
  @Description(
      "Where engagements, profiles and dead letters go, comma-separated: files (below --output),"
          + " postgres (--jdbcUrl)")
  @Default.String("files")
  String getSinks();

  void setSinks(String value);
}
