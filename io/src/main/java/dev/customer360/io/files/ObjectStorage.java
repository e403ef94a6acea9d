package dev.customer360.io.files;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.MimeTypes;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.regions.Region;

/**
 * Sets up Beam's file systems for {@code --output}: local paths work as they are; {@code s3://}
 * goes through Beam's S3 file system with the endpoint, region and addressing given here and the
 * credentials of the standard AWS chain (environment, system properties, profile; never logged).
 */
public final class ObjectStorage {
  private ObjectStorage() {}

  /** Applies the S3 settings to Beam's S3 options (the options only: nothing global). */
  public static void applyTo(PipelineOptions options) {
    FileSinkOptions files = options.as(FileSinkOptions.class);
    S3Options s3 = options.as(S3Options.class);
    if (files.getS3Endpoint() != null && !files.getS3Endpoint().isBlank()) {
      try {
        s3.setEndpoint(URI.create(files.getS3Endpoint()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--s3Endpoint='"
                + files.getS3Endpoint()
                + "' is not a URL, e.g. http://localhost:9000");
      }
      if (files.getS3Region() == null || files.getS3Region().isBlank()) {
        s3.setAwsRegion(Region.US_EAST_1);
      }
    }
    if (files.getS3Region() != null && !files.getS3Region().isBlank()) {
      s3.setAwsRegion(Region.of(files.getS3Region()));
    }
    s3.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
  }

  /** Registers Beam's file systems for this JVM with these options (S3 settings included). */
  public static void register(PipelineOptions options) {
    applyTo(options);
    FileSystems.setDefaultPipelineOptions(options);
  }

  static boolean pathStyle(FileSinkOptions options) {
    if (options.getS3PathStyle() != null) {
      return options.getS3PathStyle();
    }
    return options.getS3Endpoint() != null && !options.getS3Endpoint().isBlank();
  }

  /**
   * Fails now, naming the output, the cause and what to check, if a file cannot be written there
   * (bucket missing, access denied, endpoint down, read-only disk), so nothing is reported as
   * written that was not.
   */
  public static void checkWritable(FileSinkOptions options) {
    String output = options.getOutput();
    String probe =
        output.replaceFirst("/+$", "") + "/.customer360-write-check-" + UUID.randomUUID();
    try {
      ResourceId file = FileSystems.matchNewResource(probe, false);
      // Closing the stream closes the channel; closing the channel again would complete an S3
      // multipart upload twice.
      WritableByteChannel channel = FileSystems.create(file, MimeTypes.TEXT);
      try (OutputStream out = Channels.newOutputStream(channel)) {
        out.write("ok".getBytes(StandardCharsets.UTF_8));
      }
      FileSystems.delete(List.of(file), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot write to --output=" + output + whatFailed(options, e), e);
    }
  }

  /** Why the probe failed, in the user's terms and the store's, and what to check. */
  private static String whatFailed(FileSinkOptions options, Throwable e) {
    String output = options.getOutput();
    String cause = " (" + rootMessage(e) + "); ";
    if (!output.startsWith("s3://")) {
      return cause + "check that the directory can be created and written";
    }
    String bucket = bucketOf(output);
    int status = statusOf(e);
    if (status == 403) {
      return ": access denied"
          + cause
          + "check that the AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile)"
          + " are right and may write to bucket '"
          + bucket
          + "'";
    }
    if (status == 404) {
      return ": no such bucket" + cause + "check that bucket '" + bucket + "' exists";
    }
    if (status < 0 && unreachable(e)) {
      String endpoint = options.getS3Endpoint();
      return endpoint != null && !endpoint.isBlank()
          ? ": no answer from --s3Endpoint="
              + endpoint
              + cause
              + "check --s3Endpoint and that the store is running"
          : ": no answer from AWS S3" + cause + "check the network and --s3Region";
    }
    return cause
        + "check that bucket '"
        + bucket
        + "' exists, the AWS credentials"
        + " (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile) may write to it, and"
        + " --s3Endpoint/--s3Region";
  }

  /** The HTTP status the store answered with, or -1 if it did not answer. */
  private static int statusOf(Throwable e) {
    return causes(e)
        .filter(t -> t instanceof SdkServiceException)
        .mapToInt(t -> ((SdkServiceException) t).statusCode())
        .findFirst()
        .orElse(-1);
  }

  /** No connection to the store: refused, no such host, no route, timed out. */
  private static boolean unreachable(Throwable e) {
    return causes(e)
        .anyMatch(
            t ->
                t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException
                    || t instanceof InterruptedIOException);
  }

  /** {@code e} and its causes, outermost first. */
  private static java.util.stream.Stream<Throwable> causes(Throwable e) {
    return java.util.stream.Stream.iterate(
        e, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
  }

  static String bucketOf(String s3Path) {
    String rest = s3Path.substring("s3://".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = causes(e).reduce((outer, inner) -> inner).orElse(e);
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}
