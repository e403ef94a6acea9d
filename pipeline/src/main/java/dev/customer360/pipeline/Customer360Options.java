package dev.customer360.pipeline;

import dev.customer360.io.files.FileSinkOptions;
import dev.customer360.io.files.FileSourceOptions;
import dev.customer360.io.kafka.KafkaOptions;
import dev.customer360.io.postgres.PostgresSinkOptions;
import dev.customer360.transforms.EngagementOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Every option of the job: the mixins of the parts it wires together. */
public interface Customer360Options
    extends FileSourceOptions,
        FileSinkOptions,
        EngagementOptions,
        PostgresSinkOptions,
        KafkaOptions {
  @Description(
      "Where raw records come from: files (--callLogInput...) or kafka (--bootstrapServers...)")
  @Default.String("files")
  String getSource();

  void setSource(String value);

  @Description(
      "Where engagements, profiles and dead letters go, comma-separated: files (below --output),"
          + " postgres (--jdbcUrl), kafka (--bootstrapServers)")
  @Default.String("files")
  String getSinks();

  void setSinks(String value);

  @Description(
      "Preview instead of a run: standardize the first N records of each source and print the"
          + " engagements and dead letters; nothing is written. --preview alone means 10")
  @Default.Integer(0)
  int getPreview();

  void setPreview(int value);

  @Description(
      "On an error, print the full stack trace after the one-line message; show every library"
          + " warning, also those about the runner's setup that the console hides by default")
  @Default.Boolean(false)
  boolean getVerbose();

  void setVerbose(boolean value);
}
