package dev.customer360.pipeline;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.rules.ExternalResource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API server (s3proxy, in-memory store) for a test class, on a free port, as a class
 * rule: it starts with a bucket {@link #BUCKET}, and sets the test credentials as the AWS system
 * properties the job's standard credential chain reads (nothing secret goes through pipeline
 * options); all of it is undone after the class.
 */
final class S3TestServer extends ExternalResource {
  static final String ACCESS_KEY = "c360-test-access";
  static final String SECRET_KEY = "c360-test-secret";
  static final String BUCKET = "lake";

  private Path dir;
  private S3Proxy proxy;
  private BlobStoreContext context;
  private S3Client client;

  @Override
  protected void before() throws Exception {
    dir = Files.createTempDirectory("c360-s3");
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", dir.toString());
    context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .overrides(props)
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        after();
        throw new IllegalStateException(
            "the S3 test server did not start within 60 s (state " + proxy.getState() + ")");
      }
      Thread.sleep(20);
    }
    client = newClient();
    client.createBucket(b -> b.bucket(BUCKET));
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
  }

  @Override
  protected void after() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (client != null) {
      client.close();
    }
    try {
      if (proxy != null) {
        proxy.stop();
      }
    } catch (Exception e) {
      throw new IllegalStateException("the S3 test server did not stop: " + e, e);
    } finally {
      if (context != null) {
        context.close();
      }
      deleteAll(dir);
    }
  }

  private static void deleteAll(Path dir) {
    if (dir == null) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // A temporary directory left behind is not worth failing the tests for.
    }
  }

  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** A client of the server, open for the whole class. */
  S3Client client() {
    return client;
  }

  /** The objects of {@link #BUCKET} under {@code prefix}, in key order. */
  List<S3Object> list(String prefix) {
    List<S3Object> objects = new ArrayList<>();
    client
        .listObjectsV2Paginator(
            ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).build())
        .contents()
        .forEach(objects::add);
    objects.sort(java.util.Comparator.comparing(S3Object::key));
    return objects;
  }

  /** The content of one object of {@link #BUCKET}. */
  byte[] get(String key) {
    return client
        .getObjectAsBytes(GetObjectRequest.builder().bucket(BUCKET).key(key).build())
        .asByteArray();
  }

  /** An SDK client for the server (path-style, as S3-compatible stores want). */
  private S3Client newClient() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }
}
