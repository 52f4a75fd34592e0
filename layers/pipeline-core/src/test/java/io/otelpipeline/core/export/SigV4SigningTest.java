package io.otelpipeline.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.export.TestOtlpServer.Reply;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.testing.FolderRuntime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class SigV4SigningTest {
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=(?<key>[A-Z0-9]+)/(?<date>\\d{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z]+)/aws4_request, "
              + "SignedHeaders=(?<headers>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})");

  private final TestOtlpServer server = TestOtlpServer.start(Reply.ok());

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void signsEachSignalForItsAwsServiceWithTheFunctionsCredentials() throws Exception {
    Map<String, String> env =
        Map.of(
            "EXPORT_OTLP_ENDPOINT", server.baseUrl(),
            "EXPORT_OTLP_AUTH", "sigv4",
            "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    try (SignalExporter exporter = new FolderRuntime(env).exporter(PipelineConfig.empty(), new RecordingTelemetry(), Feed.OTLP_RECEIVER)) {
      assertEquals(ExportResult.success(), exporter.export(Signal.TRACES, new byte[0], 0));
      assertEquals(ExportResult.success(), exporter.export(Signal.LOGS, OtlpSamples.logs(1, 2).toByteArray(), 2));
      assertEquals(ExportResult.success(), exporter.export(Signal.METRICS, OtlpSamples.metrics(1, 2).toByteArray(), 2));
    }

    Map<String, String> services = Map.of("/v1/traces", "xray", "/v1/logs", "logs", "/v1/metrics", "monitoring");
    assertEquals(3, server.received().size());
    for (TestOtlpServer.Received r : server.received()) {
      Matcher auth = AUTHORIZATION.matcher(String.valueOf(r.header("Authorization")));
      assertTrue(auth.matches(), "Authorization: " + r.header("Authorization"));
      assertEquals("AKIDEXAMPLE", auth.group("key"));
      assertEquals("eu-west-1", auth.group("region"));
      assertEquals(services.get(r.path()), auth.group("service"), r.path());
      String amzDate = r.header("X-Amz-Date");
      assertNotNull(amzDate);
      assertTrue(amzDate.matches("\\d{8}T\\d{6}Z"), amzDate);
      assertEquals(amzDate.substring(0, 8), auth.group("date"));
      assertTrue(auth.group("headers").contains("host"), auth.group("headers"));
      assertTrue(auth.group("headers").contains("x-amz-date"), auth.group("headers"));
      assertTrue(auth.group("headers").contains("content-encoding"), "the gzip encoding is signed: " + auth.group("headers"));
      String contentSha = r.header("x-amz-content-sha256");
      assertNotNull(contentSha, "x-amz-content-sha256");
      assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.rawBody())), contentSha);
    }
  }

  @Test
  void sessionCredentialsAddTheSecurityToken() {
    ExportSettings settings =
        ExportSettings.fromEnvironment(
            new FunctionEnvironment(Map.of("EXPORT_OTLP_ENDPOINT", server.baseUrl(), "EXPORT_OTLP_AUTH", "sigv4", "AWS_REGION", "us-west-2")));
    SigV4Signer signer =
        new SigV4Signer(
            StaticCredentialsProvider.create(AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "session-token-value")),
            settings.sigV4().orElseThrow());
    OtlpHttpExporter exporter =
        new OtlpHttpExporter(settings, OtlpHttpExporter.httpClient(settings), new CircuitBreaker(5, Duration.ofSeconds(30), Clock.systemUTC()),
            Optional.of(signer), new RecordingTelemetry(), Clock.systemUTC(), d -> {}, new SplittableRandom(1));

    assertEquals(ExportResult.success(), exporter.export(Signal.LOGS, OtlpSamples.logs(1, 1).toByteArray(), 1));

    TestOtlpServer.Received r = server.received().get(0);
    assertEquals("session-token-value", r.header("X-Amz-Security-Token"));
    Matcher auth = AUTHORIZATION.matcher(r.header("Authorization"));
    assertTrue(auth.matches(), r.header("Authorization"));
    assertEquals("ASIAEXAMPLE", auth.group("key"));
    assertTrue(auth.group("headers").contains("x-amz-security-token"), auth.group("headers"));
  }

  @Test
  void sigV4NeedsARegion() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.otelpipeline.core.config.ConfigException.class,
            () -> ExportSettings.fromEnvironment(
                new FunctionEnvironment(Map.of("EXPORT_OTLP_ENDPOINT", server.baseUrl(), "EXPORT_OTLP_AUTH", "sigv4"))));
    assertTrue(e.getMessage().contains("AWS_REGION"), e.getMessage());
  }
}
