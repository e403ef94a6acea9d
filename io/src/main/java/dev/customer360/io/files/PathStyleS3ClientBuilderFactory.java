package dev.customer360.io.files;

import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Beam's S3 client, plus what S3-compatible stores need: path-style addressing when {@code
 * --s3PathStyle} (or an {@code --s3Endpoint}) asks for it, since they usually serve buckets in the
 * path, not the host name; and no default-valued bucket-key header.
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder =
        ClientBuilderFactory.getFactory(options).create(S3Client.builder(), options);
    if (ObjectStorage.pathStyle(options.as(FileSinkOptions.class))) {
      builder.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
    }
    return builder.overrideConfiguration(
        c -> c.addExecutionInterceptor(new DropDefaultBucketKeyHeader()));
  }

  /**
   * Beam sends {@code x-amz-server-side-encryption-bucket-key-enabled: false} on every upload, even
   * without encryption; some S3-compatible stores (s3proxy, for one) reject the header outright.
   * "false" is the default, so dropping it changes nothing on AWS.
   */
  static final class DropDefaultBucketKeyHeader implements ExecutionInterceptor {
    static final String HEADER = "x-amz-server-side-encryption-bucket-key-enabled";

    @Override
    public SdkHttpRequest modifyHttpRequest(
        Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
      SdkHttpRequest request = context.httpRequest();
      boolean isDefault =
          request.firstMatchingHeader(HEADER).map("false"::equalsIgnoreCase).orElse(false);
      return isDefault ? request.toBuilder().removeHeader(HEADER).build() : request;
    }
  }
}
