package dev.customer360.pipeline.tools;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A local S3-compatible server (s3proxy over a directory) for {@code scripts/s3-local.sh}.
 *
 * <pre>
 * LocalS3 serve PORT DIR     runs until killed; creates bucket "lake"
 * LocalS3 ls PORT PREFIX     lists keys of bucket lake
 * LocalS3 cat PORT KEY       prints an object
 * </pre>
 */
public final class LocalS3 {
  static final String ACCESS = "local-access";
  static final String SECRET = "local-secret";

  private LocalS3() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("serve")) {
      serve(Integer.parseInt(args[1]), Path.of(args[2]));
    } else if (args.length >= 2 && args[0].equals("ls")) {
      try (S3Client s3 = client(Integer.parseInt(args[1]))) {
        s3.listObjectsV2Paginator(b -> b.bucket("lake").prefix(args.length > 2 ? args[2] : ""))
            .contents()
            .forEach(o -> System.out.println(o.size() + "\t" + o.key()));
      }
    } else if (args.length == 3 && args[0].equals("cat")) {
      try (S3Client s3 = client(Integer.parseInt(args[1]))) {
        System.out.print(
            new String(
                s3.getObjectAsBytes(b -> b.bucket("lake").key(args[2])).asByteArray(),
                StandardCharsets.UTF_8));
      }
    } else {
      System.err.println("usage: LocalS3 serve PORT DIR | ls PORT [PREFIX] | cat PORT KEY");
      System.exit(2);
    }
  }

  private static void serve(int port, Path dir) throws Exception {
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", dir.toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder("filesystem")
            .credentials("identity", "credential")
            .overrides(props)
            .build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
            .build();
    proxy.start();
    context.getBlobStore().createContainerInLocation(null, "lake");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    proxy.stop();
                  } catch (Exception e) {
                    System.err.println("stopping: " + e);
                  }
                  stopped.countDown();
                }));
    System.out.println("S3 API on http://127.0.0.1:" + port);
    stopped.await();
  }

  private static S3Client client(int port) {
    return S3Client.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }
}
