package io.otelpipeline.local.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** An HTTP test function that answers with what it was given, to check the Function URL event. */
public final class EchoFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String body = event.getIsBase64Encoded() ? new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8) : event.getBody();
    String description = String.join("\n",
        "version=" + event.getVersion(),
        "method=" + event.getRequestContext().getHttp().getMethod(),
        "rawPath=" + event.getRawPath(),
        "path=" + event.getRequestContext().getHttp().getPath(),
        "rawQueryString=" + event.getRawQueryString(),
        "x-test=" + event.getHeaders().get("x-test"),
        "base64=" + event.getIsBase64Encoded(),
        "sourceIp=" + event.getRequestContext().getHttp().getSourceIp(),
        "body=" + body);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(202)
        .withHeaders(Map.of("content-type", "text/plain", "x-echo", "yes"))
        .withBody(Base64.getEncoder().encodeToString(description.getBytes(StandardCharsets.UTF_8)))
        .withIsBase64Encoded(true)
        .build();
  }
}
