package io.otelpipeline.core.export;

import io.otelpipeline.core.otlp.Signal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signs export requests with AWS Signature Version 4, for AWS's own OTLP endpoints (X-Ray for
 * traces, CloudWatch Logs for logs). Credentials are resolved per request so that rotated
 * credentials of a long-lived container are picked up.
 */
final class SigV4Signer {
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final AwsCredentialsProvider credentials;
  private final ExportSettings.SigV4Settings settings;

  SigV4Signer(AwsCredentialsProvider credentials, ExportSettings.SigV4Settings settings) {
    this.credentials = credentials;
    this.settings = settings;
  }

  /** The headers of the signed request: the given ones plus Authorization, X-Amz-Date and friends. */
  Map<String, List<String>> sign(Signal signal, URI uri, Map<String, String> headers, byte[] body) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
    headers.forEach(request::putHeader);
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(credentials.resolveCredentials())
                    .request(request.build())
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, settings.serviceFor(signal))
                    .putProperty(AwsV4HttpSigner.REGION_NAME, settings.region()));
    return signed.request().headers();
  }
}
