package dev.customer360.io.files;

import java.util.List;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the raw JSON-lines files of each source are. */
public interface FileSourceOptions extends PipelineOptions {
  @Description(
      "Glob of the raw call-log files (JSON lines; .gz/.bz2/.zst read transparently), local or"
          + " s3://. Example: src/samples/call_log*.jsonl")
  String getCallLogInput();

  void setCallLogInput(String value);

  @Description("Glob of the raw clickstream files (JSON lines, may be compressed), local or s3://")
  String getClickstreamInput();

  void setClickstreamInput(String value);

  @Description(
      "Input of a source without a flag of its own, as <source>=<glob>; repeat for more sources,"
          + " e.g. --input=purchase=data/purchase*.jsonl (commas separate entries, so a glob here"
          + " cannot contain one)")
  List<String> getInput();

  void setInput(List<String> value);
}
