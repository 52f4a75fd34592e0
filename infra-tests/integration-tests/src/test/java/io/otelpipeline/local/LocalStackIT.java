package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The stack around the functions: the Function URL front, schedules, tables, environment, and a clean stop. */
class LocalStackIT {
  @Test
  void runsTheTemplateAndStopsLeavingNothingBehind() throws Exception {
    Path template = Path.of(getClass().getResource("/local-stack-test.yaml").toURI());
    LocalStack stack = LocalStack.start(LocalStackOptions.defaults().template(template).env("EXTRA", "from-options").parameter("Greeting", "hi"));
    String url;
    try {
      url = stack.otlpEndpoint();
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url + "/v1/traces?a=1&b=two"))
              .header("X-Test", "Value")
              .POST(HttpRequest.BodyPublishers.ofString("payload"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(202, response.statusCode());
      assertEquals("yes", response.headers().firstValue("x-echo").orElseThrow());
      assertEquals(
          List.of("version=2.0", "method=POST", "rawPath=/v1/traces", "path=/v1/traces", "rawQueryString=a=1&b=two", "x-test=Value",
              "base64=true", "sourceIp=127.0.0.1", "body=payload"),
          response.body().lines().toList());

      @SuppressWarnings("unchecked")
      Map<String, Object> tick = (Map<String, Object>) stack.fireSchedule("TickFunction");
      assertEquals("Scheduled Event", tick.get("detail-type"));
      assertEquals("aws.events", tick.get("source"));
      assertEquals(stack.physicalName("Items"), tick.get("table"));

      TableDescription table = stack.dynamoDb().describeTable(b -> b.tableName(stack.physicalName("Items"))).table();
      assertEquals("by-due", table.globalSecondaryIndexes().get(0).indexName());
      assertEquals(TimeToLiveStatus.ENABLED,
          stack.dynamoDb().describeTimeToLive(b -> b.tableName(stack.physicalName("Items"))).timeToLiveDescription().timeToLiveStatus());

      Map<String, String> env = stack.environment("TickFunction");
      assertEquals("hi", env.get("GREETING"));
      assertEquals("from-options", env.get("EXTRA"));
      assertEquals(stack.failureDirectory().toString(), env.get("FAILURE_DIR"));
      assertTrue(env.get("AWS_ENDPOINT_URL_KINESIS").startsWith("http://localhost:"));
      assertTrue(env.get("AWS_ENDPOINT_URL_DYNAMODB").startsWith("http://localhost:"));
      assertFalse(stack.ingestToken().isBlank());

      try (var lambda = new io.otelpipeline.core.aws.AwsClients(new io.otelpipeline.core.config.FunctionEnvironment(env)).lambda()) {
        var invoked = lambda.invoke(b -> b.functionName(stack.physicalName("TickFunction"))
            .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{\"shard\": 3}")));
        assertEquals(null, invoked.functionError());
        String payload = invoked.payload().asUtf8String();
        assertTrue(payload.contains("\"shard\":3") && payload.contains("\"table\":\"" + stack.physicalName("Items") + "\""), payload);
      }
    } finally {
      stack.close();
    }
    List<ProcessHandle> children = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    assertEquals(List.of(), children.stream().map(p -> p.info().commandLine().orElse("?")).toList(), "processes left running");
    assertThrows(ConnectException.class, () -> HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url + "/v1/traces")).build(), HttpResponse.BodyHandlers.discarding()));
  }

  @Test
  void aHandlerThatIsNotOnTheClasspathStopsTheStartWithItsName() throws IOException {
    Path template = Files.createTempFile("missing-handler", ".yaml");
    Files.writeString(template, """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Lost:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: java25
              Handler: com.example.Nowhere::handleRequest
        """);
    TemplateException e = assertThrows(TemplateException.class, () -> LocalStack.start(LocalStackOptions.defaults().template(template)));
    assertTrue(e.getMessage().contains("Resources.Lost.Properties.Handler: class com.example.Nowhere is not on the local stack's classpath"), e.getMessage());
    assertEquals(List.of(), ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList());
  }
}
