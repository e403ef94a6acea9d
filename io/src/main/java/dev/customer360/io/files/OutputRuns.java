package dev.customer360.io.files;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file sink's runs and the reader contract of the lake below {@code --output}.
 *
 * <p>Each run writes below its own directory, {@code <output>/<name>/run=<run id>/dt=…/}, and never
 * touches another run's files while it works. When a bounded run has succeeded, its manifest {@code
 * <output>/_manifests/<run id>.json}, listing every file it wrote, is written last; only then are
 * superseded runs removed: every other run for a full replacement (a run over files), the runs that
 * never published a manifest (failed attempts, whose records a rerun reads again) for an increment
 * (a bounded Kafka run). A stream announces its run directory in a manifest when it starts; its
 * files appear there as its windows close.
 *
 * <p>Readers follow the manifests, not directory listings: on {@code s3://} a rename is a copy and
 * a delete, so a listing can show a run half-way.
 */
public final class OutputRuns {
  private static final Logger LOG = LoggerFactory.getLogger(OutputRuns.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** The directory of manifests below {@code --output}. */
  public static final String MANIFESTS = "_manifests";

  /** The outputs a run writes, each a directory below {@code --output}. */
  public static final List<String> OUTPUTS =
      List.of(
          OutputFile.ENGAGEMENTS.name(),
          OutputFile.PROFILES.name(),
          OutputFile.DEAD_LETTERS.name(),
          OutputFile.CONFLICTS.name());

  /** What a run's files are to the runs before it. */
  public enum Mode {
    /** A run over files: it replaces every earlier run. */
    REPLACE,
    /** A bounded Kafka run: it adds the records read since the last one. */
    INCREMENT,
    /** A stream: its directory grows while it runs. */
    STREAM
  }

  /** One manifest. */
  public static final class Run {
    @JsonProperty("run_id")
    public final String runId;

    @JsonProperty("mode")
    public final Mode mode;

    @JsonProperty("published_at")
    public final String publishedAt;

    /** Files per output, relative to {@code --output}. */
    @JsonProperty("files")
    public final Map<String, List<String>> files;

    @JsonCreator
    Run(
        @JsonProperty("run_id") String runId,
        @JsonProperty("mode") Mode mode,
        @JsonProperty("published_at") String publishedAt,
        @JsonProperty("files") Map<String, List<String>> files) {
      this.runId = runId;
      this.mode = mode;
      this.publishedAt = publishedAt;
      this.files = files;
    }
  }

  private OutputRuns() {}

  /** Refuses a run id that is not a plain directory name. */
  public static String checkRunId(String runId) {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException(
          "run id '"
              + runId
              + "' is not a plain name: use letters, digits, '.', '_' and '-' (at most 100)");
    }
    return runId;
  }

  /** Where one run writes one output: {@code <output>/<name>/run=<run id>}. */
  public static String runDirectory(String output, String name, String runId) {
    return root(output) + "/" + name + "/run=" + runId;
  }

  /**
   * Lists the files {@code runId} wrote, writes its manifest and then removes the runs it
   * supersedes. Call it only after the run has succeeded.
   */
  public static Run publish(String output, String runId, Mode mode) throws IOException {
    // One listing serves the manifest and the removal of superseded runs.
    Map<String, Map<String, ResourceId>> present = new LinkedHashMap<>();
    Map<String, List<String>> files = new LinkedHashMap<>();
    for (String name : OUTPUTS) {
      Map<String, ResourceId> byPath = new java.util.TreeMap<>();
      for (ResourceId file : ourFiles(root(output) + "/" + name)) {
        byPath.put(relative(output, file), file);
      }
      present.put(name, byPath);
      List<String> written = new ArrayList<>();
      for (String relative : byPath.keySet()) {
        if (relative.startsWith(name + "/run=" + runId + "/")) {
          written.add(relative);
        }
      }
      files.put(name, written);
    }
    Run run = new Run(runId, mode, java.time.Instant.now().toString(), files);
    writeManifest(output, run);
    removeSuperseded(output, run, present);
    return run;
  }

  /** Announces a stream's run directory before the stream writes anything. */
  public static void announceStream(String output, String runId) throws IOException {
    Map<String, List<String>> none = new LinkedHashMap<>();
    OUTPUTS.forEach(name -> none.put(name, List.of()));
    writeManifest(output, new Run(runId, Mode.STREAM, java.time.Instant.now().toString(), none));
  }

  /** The published runs, oldest run id first. */
  public static List<Run> published(String output) throws IOException {
    List<Run> runs = new ArrayList<>();
    for (MatchResult.Metadata m : match(root(output) + "/" + MANIFESTS + "/*.json")) {
      try (InputStream in = Channels.newInputStream(FileSystems.open(m.resourceId()))) {
        runs.add(JSON.readValue(in, Run.class));
      }
    }
    runs.sort(Comparator.comparing(r -> r.runId));
    return runs;
  }

  private static void writeManifest(String output, Run run) throws IOException {
    String dir = root(output) + "/" + MANIFESTS;
    ResourceId temp = FileSystems.matchNewResource(dir + "/." + run.runId + ".json.tmp", false);
    ResourceId manifest = FileSystems.matchNewResource(dir + "/" + run.runId + ".json", false);
    // Closing the stream closes the channel (closing an S3 channel twice fails the upload).
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temp, MimeTypes.TEXT))) {
      // Bytes first: Jackson would close the stream itself, and a second close fails on S3.
      out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(run));
    }
    // A reader sees the whole manifest or none.
    FileSystems.rename(List.of(temp), List.of(manifest));
  }

  private static void removeSuperseded(
      String output, Run run, Map<String, Map<String, ResourceId>> present) throws IOException {
    TreeSet<String> keep = new TreeSet<>();
    keep.add(run.runId);
    if (run.mode != Mode.REPLACE) {
      published(output).forEach(r -> keep.add(r.runId));
    }
    List<ResourceId> stale = new ArrayList<>();
    for (String name : OUTPUTS) {
      for (Map.Entry<String, ResourceId> file : present.get(name).entrySet()) {
        String runId = runOf(file.getKey(), name);
        boolean supersededRun =
            runId != null
                && !keep.contains(runId)
                && (run.mode == Mode.REPLACE || runId.compareTo(run.runId) < 0);
        // Files of the layout before run directories: a full replacement removes them too.
        boolean oldLayout = runId == null && run.mode == Mode.REPLACE;
        if (supersededRun || oldLayout) {
          stale.add(file.getValue());
        }
      }
    }
    List<ResourceId> staleManifests = new ArrayList<>();
    if (run.mode == Mode.REPLACE) {
      for (MatchResult.Metadata m : match(root(output) + "/" + MANIFESTS + "/*.json")) {
        if (!m.resourceId().getFilename().equals(run.runId + ".json")) {
          staleManifests.add(m.resourceId());
        }
      }
    }
    if (!stale.isEmpty() || !staleManifests.isEmpty()) {
      LOG.info("Run {} published; removing {} file(s) of superseded runs", run.runId, stale.size());
      FileSystems.delete(stale, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      FileSystems.delete(staleManifests, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      removeEmptyLocalDirectories(output);
    }
  }

  /** The run a file belongs to, from {@code <name>/run=<id>/…}; null for any other layout. */
  private static String runOf(String relative, String name) {
    String prefix = name + "/run=";
    if (!relative.startsWith(prefix)) {
      return null;
    }
    int end = relative.indexOf('/', prefix.length());
    return end < 0 ? null : relative.substring(prefix.length(), end);
  }

  /** Files named like ours below {@code dir}, in any partition, not Beam's temporary files. */
  private static List<ResourceId> ourFiles(String dir) throws IOException {
    String name = dir.substring(dir.lastIndexOf('/') + 1);
    List<ResourceId> files = new ArrayList<>();
    for (MatchResult.Metadata m : match(dir + "/**")) {
      String filename = m.resourceId().getFilename();
      String path = m.resourceId().toString();
      if (filename != null && filename.startsWith(name + "-") && !path.contains("/.temp-beam")) {
        files.add(m.resourceId());
      }
    }
    return files;
  }

  private static List<MatchResult.Metadata> match(String glob) throws IOException {
    MatchResult match = FileSystems.match(List.of(glob), EmptyMatchTreatment.ALLOW).get(0);
    return match.status() == MatchResult.Status.OK ? match.metadata() : List.of();
  }

  private static String relative(String output, ResourceId file) {
    String root = FileSystems.matchNewResource(root(output), true).toString();
    String path = file.toString();
    if (!path.startsWith(root)) {
      throw new IllegalStateException(path + " is not below the output " + output);
    }
    return path.substring(root.length()).replaceFirst("^/+", "");
  }

  private static String root(String output) {
    return output.replaceFirst("/+$", "");
  }

  /** Empty run directories on a local disk (object stores have no directories to leave behind). */
  private static void removeEmptyLocalDirectories(String output) throws IOException {
    if (output.contains("://") && !output.startsWith("file://")) {
      return;
    }
    Path root = Paths.get(output.replaceFirst("^file://", ""));
    for (String name : OUTPUTS) {
      Path dir = root.resolve(name);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> dirs;
      try (Stream<Path> walk = Files.walk(dir)) {
        dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
      }
      for (Path d : dirs) {
        try (Stream<Path> entries = Files.list(d)) {
          if (!d.equals(dir) && entries.findAny().isEmpty()) {
            Files.delete(d);
          }
        }
      }
    }
  }
}
