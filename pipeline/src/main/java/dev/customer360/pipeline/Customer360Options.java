package dev.customer360.pipeline;

import dev.customer360.io.files.FileSinkOptions;
import dev.customer360.io.files.FileSourceOptions;
import dev.customer360.io.kafka.KafkaOptions;
import dev.customer360.io.postgres.PostgresSinkOptions;
import dev.customer360.transforms.EngagementOptions;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Every option of the job: the mixins of the parts it wires together. */
public interface Customer360Options
    extends FileSourceOptions,
        FileSinkOptions,
        EngagementOptions,
        PostgresSinkOptions,
        KafkaOptions {
  /**
   * Where raw records come from. Constants are spelled as on the command line: Beam reads an enum
   * option by the constant's name.
   */
  enum Source {
    files,
    kafka
  }

  /** Where the outputs go, spelled as on the command line. */
  enum Sink {
    files,
    postgres,
    kafka
  }

  @Description(
      "Where raw records come from: files (--callLogInput...) or kafka (--bootstrapServers...)")
  @Default.Enum("files")
  Source getSource();

  void setSource(Source value);

  @Description(
      "Where engagements, profiles and dead letters go, comma-separated: files (below --output),"
          + " postgres (--jdbcUrl), kafka (--bootstrapServers)")
  @Default.InstanceFactory(FilesOnly.class)
  List<Sink> getSinks();

  void setSinks(List<Sink> value);

  /** The default sinks: files only. */
  final class FilesOnly implements DefaultValueFactory<List<Sink>> {
    @Override
    public List<Sink> create(PipelineOptions options) {
      return List.of(Sink.files);
    }
  }

  @Description(
      "Replay instead of reading the sources: the dead letters at this location go back to the"
          + " step they failed at, with today's SQL files and rules. The location is a directory or"
          + " s3:// prefix (a run's <output>/dead-letter), kafka:<topic> (a run's --deadLetterTopic"
          + " on --bootstrapServers, read up to its end when the replay starts) or postgres (the"
          + " dead_letters table at --jdbcUrl; a directory of that name is ./postgres). Recovered"
          + " records are deduplicated and written to the sinks (no profiles); records that fail"
          + " again are the replay's dead letters, one attempt more. Give another --output than"
          + " the run replayed")
  String getReplay();

  void setReplay(String value);

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
