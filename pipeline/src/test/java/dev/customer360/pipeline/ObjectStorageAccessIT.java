package dev.customer360.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.sun.net.httpserver.HttpServer;
import dev.customer360.pipeline.generator.GenerateRawRecords;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestRule;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * How the job reaches an object store, as the README promises: denied credentials and an
 * unreachable endpoint stop the run with one line saying what to check and remove nothing it
 * delivered before; {@code --s3PathStyle} and {@code --s3Region} reach the S3 client.
 */
@RunWith(JUnit4.class)
public class ObjectStorageAccessIT {
  @ClassRule public static final TestRule UTC = JobZone.utc();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final String WRONG_SECRET = "c360-wrong-secret-do-not-print";

  @ClassRule public static final S3TestServer S3 = new S3TestServer();
  private static Path data;

  @BeforeClass
  public static void setUp() throws Exception {
    data = TMP.newFolder("data").toPath();
    GenerateRawRecords.write(data, Expected.generate(5, 10, 60, 6), false);
  }

  private static Map.Entry<Integer, String> run(String output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--callLogInput=" + data.resolve("call_log.jsonl"),
                "--clickstreamInput=" + data.resolve("clickstream.jsonl"),
                "--output=" + output));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(new String[0]));
  }

  private static List<String> keys(String prefix) {
    return S3.list(prefix).stream().map(S3Object::key).toList();
  }

  /** The one {@code error:} line a refused run printed. */
  private static String errorLine(String printed) {
    List<String> errors =
        printed
            .lines()
            .filter(l -> l.startsWith("error:"))
            .collect(java.util.stream.Collectors.toList());
    assertEquals(printed, 1, errors.size());
    return errors.get(0);
  }

  @Test
  public void deniedCredentialsStopTheRunAndRemoveNothingDeliveredBefore() {
    Map.Entry<Integer, String> first = run("s3://lake/denied", "--s3Endpoint=" + S3.endpoint());
    assertEquals(first.getValue(), 0, (int) first.getKey());
    List<String> delivered = keys("denied/");
    assertEquals(delivered.toString(), 1, keys("denied/_manifests/").size());

    Map.Entry<Integer, String> refused;
    System.setProperty("aws.secretAccessKey", WRONG_SECRET);
    try {
      refused = run("s3://lake/denied", "--s3Endpoint=" + S3.endpoint());
    } finally {
      System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY);
    }

    assertEquals(refused.getValue(), 2, (int) refused.getKey());
    String error = errorLine(refused.getValue());
    // The cause in the user's words and the store's, then what to check.
    assertThat(
        error, startsWith("error: Cannot write to --output=s3://lake/denied: access denied ("));
    assertThat(error, containsString("Status Code: 403"));
    assertThat(
        error,
        containsString(
            "check that the AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile)"
                + " are right and may write to bucket 'lake'"));
    assertThat(refused.getValue(), not(containsString(WRONG_SECRET)));
    assertThat(refused.getValue(), not(containsString("Running on")));
    assertEquals(delivered, keys("denied/"));
  }

  @Test(timeout = 300_000)
  public void anUnreachableEndpointStopsTheRunWithOneLine() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Map.Entry<Integer, String> refused =
        run("s3://lake/unreachable", "--s3Endpoint=http://127.0.0.1:" + closed);

    assertEquals(refused.getValue(), 2, (int) refused.getKey());
    String error = errorLine(refused.getValue());
    assertThat(
        error,
        startsWith(
            "error: Cannot write to --output=s3://lake/unreachable: no answer from --s3Endpoint=http://127.0.0.1:"
                + closed
                + " ("));
    assertThat(error, containsString("check --s3Endpoint and that the store is running"));
    assertThat(refused.getValue(), not(containsString("Running on")));
  }

  @Test
  public void pathStyleIsTheDefaultWithAnEndpointAndOffSendsTheBucketInTheHostName()
      throws Exception {
    // A host name, so that virtual-host style has a host name to put the bucket in.
    String byName = S3.endpoint().replace("127.0.0.1", "localhost");

    Map.Entry<Integer, String> byDefault = run("s3://lake/style", "--s3Endpoint=" + byName);
    assertEquals(byDefault.getValue(), 0, (int) byDefault.getKey());
    Map.Entry<Integer, String> pathStyle =
        run("s3://lake/style-on", "--s3Endpoint=" + byName, "--s3PathStyle=true");
    assertEquals(pathStyle.getValue(), 0, (int) pathStyle.getKey());
    assertEquals(1, keys("style-on/_manifests/").size());

    Map.Entry<Integer, String> virtualHost =
        run("s3://lake/style-off", "--s3Endpoint=" + byName, "--s3PathStyle=false");
    assertEquals(virtualHost.getValue(), 2, (int) virtualHost.getKey());
    String error = errorLine(virtualHost.getValue());
    assertThat(error, startsWith("error: Cannot write to --output=s3://lake/style-off"));
    if (!resolves("lake.localhost")) {
      // The request went to the bucket's own host name.
      assertThat(error, containsString("lake.localhost"));
    }
    assertEquals(List.of(), keys("style-off/"));
  }

  private static boolean resolves(String host) {
    try {
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Test
  public void theRegionSignsTheRequests() throws Exception {
    // A server that records how it was asked and refuses: the signature's scope names the region.
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    refusing.createContext(
        "/",
        exchange -> {
          authorizations.add(
              exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body =
              ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                      + "<Message>Access Denied</Message></Error>")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/xml");
          exchange.sendResponseHeaders(403, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    refusing.start();
    try {
      String endpoint = "--s3Endpoint=http://127.0.0.1:" + refusing.getAddress().getPort();
      Map.Entry<Integer, String> inRegion =
          run("s3://lake/region", endpoint, "--s3Region=eu-central-1");
      assertEquals(inRegion.getValue(), 2, (int) inRegion.getKey());
      assertThat(errorLine(inRegion.getValue()), containsString("Access Denied"));
      assertFalse(authorizations.isEmpty());
      for (String a : authorizations) {
        assertThat(a, startsWith("/lake/region/.customer360-write-check-"));
        assertThat(a, containsString("/eu-central-1/s3/aws4_request"));
      }

      authorizations.clear();
      Map.Entry<Integer, String> byDefault = run("s3://lake/region", endpoint);
      assertEquals(byDefault.getValue(), 2, (int) byDefault.getKey());
      assertFalse(authorizations.isEmpty());
      for (String a : authorizations) {
        assertThat(a, containsString("/us-east-1/s3/aws4_request"));
      }
    } finally {
      refusing.stop(0);
    }
  }
}
