package io.otelpipeline.core.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Translates Function URL (API Gateway payload 2.0) events: the body as bytes, whether Lambda
 * base64-encoded it or not, and responses with binary bodies.
 */
public final class FunctionUrlEvents {
  private FunctionUrlEvents() {}

  public static String method(APIGatewayV2HTTPEvent event) {
    if (event.getRequestContext() != null && event.getRequestContext().getHttp() != null) {
      return event.getRequestContext().getHttp().getMethod();
    }
    return "GET";
  }

  public static String path(APIGatewayV2HTTPEvent event) {
    return event.getRawPath() == null ? "/" : event.getRawPath();
  }

  public static Map<String, String> headers(APIGatewayV2HTTPEvent event) {
    return event.getHeaders() == null ? Map.of() : event.getHeaders();
  }

  public static byte[] body(APIGatewayV2HTTPEvent event) {
    String body = event.getBody();
    if (body == null) {
      return new byte[0];
    }
    return event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
  }

  public static APIGatewayV2HTTPResponse response(int status, String contentType, byte[] body, Map<String, String> extraHeaders) {
    Map<String, String> headers = new HashMap<>(extraHeaders);
    headers.put("Content-Type", contentType);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(headers)
        .withBody(Base64.getEncoder().encodeToString(body))
        .withIsBase64Encoded(true)
        .build();
  }
}
