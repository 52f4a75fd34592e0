package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.Status;
import io.otelpipeline.core.ingest.IngestLimits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a Function URL lets through, as the local stack enforces it like Lambda: the ingest's
 * default body limit is the largest protobuf body that fits the 6 MB event once base64-encoded, so
 * a request under it reaches the function (and is answered with an OTLP status), and one over what
 * the event can carry is refused by Lambda itself. CORS, when the stack allows origins, is
 * answered by the URL without the function.
 */
class FunctionUrlLimitsIT {
  private static final String ORIGIN = "https://shop.example";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LocalStack stack;

  @BeforeAll
  static void start() {
    stack = LocalStack.start(LocalStackOptions.defaults().parameter("CorsAllowedOrigins", ORIGIN).schedules(false));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aBodyJustOverTheDefaultLimitReachesTheFunctionAndGetsAnOtlpStatus() throws IOException, InterruptedException {
    HttpResponse<byte[]> response = post(new byte[(int) IngestLimits.DEFAULT_MAX_BODY_BYTES + 1], Optional.empty());
    assertEquals(413, response.statusCode());
    Status status = Status.parseFrom(response.body());
    assertEquals("request body of " + (IngestLimits.DEFAULT_MAX_BODY_BYTES + 1) + " bytes exceeds the limit of "
        + IngestLimits.DEFAULT_MAX_BODY_BYTES + " bytes", status.getMessage());
  }

  @Test
  void aBodyWhoseBase64EventIsOverSixMegabytesIsRefusedByLambdaBeforeTheFunction() throws IOException, InterruptedException {
    // 4.8 MB of protobuf is 6.4 MB in base64: under 6 MB as sent, over it as the event Lambda builds
    HttpResponse<byte[]> response = post(new byte[4_800_000], Optional.empty());
    assertEquals(413, response.statusCode());
    String body = new String(response.body());
    assertTrue(body.contains("Request must be smaller than 6291456 bytes for the InvokeFunction operation"), body);
  }

  @Test
  void aBrowserFromAnAllowedOriginIsLetThroughAndOthersAreNot() throws IOException, InterruptedException {
    HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(stack.otlpEndpoint() + "/v1/traces"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type")
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, preflight.statusCode());
    assertEquals(ORIGIN, preflight.headers().firstValue("access-control-allow-origin").orElse(""));
    assertTrue(preflight.headers().firstValue("access-control-allow-headers").orElse("").contains("authorization"));

    HttpResponse<String> stranger = HTTP.send(HttpRequest.newBuilder(URI.create(stack.otlpEndpoint() + "/v1/traces"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://elsewhere.example")
        .header("Access-Control-Request-Method", "POST")
        .build(), HttpResponse.BodyHandlers.ofString());
    assertFalse(stranger.headers().firstValue("access-control-allow-origin").isPresent());

    HttpResponse<byte[]> export = post(new byte[0], Optional.of(ORIGIN));
    assertEquals(200, export.statusCode());
    assertEquals(ORIGIN, export.headers().firstValue("access-control-allow-origin").orElse(""));
  }

  private static HttpResponse<byte[]> post(byte[] body, Optional<String> origin) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.otlpEndpoint() + "/v1/traces"))
        .header("Content-Type", "application/x-protobuf")
        .header("Authorization", "Bearer " + stack.ingestToken())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    origin.ifPresent(o -> request.header("Origin", o));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
