package io.otelpipeline.targetsapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The function as the local stack runs it: its environment, DynamoDB Local, the sample event. */
class TargetsApiFunctionTest {
  static DynamoDBProxyServer server;
  static Map<String, String> env;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    server = ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-port", Integer.toString(port)});
    server.start();
    env =
        Map.of(
            "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local",
            "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + port,
            "TARGETS_TABLE", "targets",
            "COLLECTORS_TABLE", "collectors",
            "SCRAPE_STATE_TABLE", "scrape-state",
            "INGEST_TOKENS", "local-dev-token");
    try (DynamoDbClient d = new io.otelpipeline.core.aws.AwsClients(new io.otelpipeline.core.config.FunctionEnvironment(env)).dynamoDb()) {
      d.createTable(b -> b.tableName("targets").billingMode("PAY_PER_REQUEST")
          .attributeDefinitions(a -> a.attributeName("job").attributeType("S"), a -> a.attributeName("address").attributeType("S"))
          .keySchema(k -> k.attributeName("job").keyType("HASH"), k -> k.attributeName("address").keyType("RANGE")));
      for (String t : new String[] {"collectors", "scrape-state"}) {
        d.createTable(b -> b.tableName(t).billingMode("PAY_PER_REQUEST")
            .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
            .keySchema(k -> k.attributeName("id").keyType("HASH")));
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  static String body(APIGatewayV2HTTPResponse r) {
    return new String(Base64.getDecoder().decode(r.getBody()), StandardCharsets.UTF_8);
  }

  @Test
  void theSampleRegistrationIsStored() throws Exception {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(Path.of("../../events/targets-api-put-target.json").toString());
    TargetsApiFunction function = new TargetsApiFunction(env);
    APIGatewayV2HTTPResponse r = function.handleRequest(event, null);
    assertEquals(200, r.getStatusCode(), body(r));
    assertTrue(body(r).contains("\"interval_ms\":30000"), body(r));
    try (DynamoDbClient d = new io.otelpipeline.core.aws.AwsClients(new io.otelpipeline.core.config.FunctionEnvironment(env)).dynamoDb()) {
      Map<String, AttributeValue> item =
          d.getItem(b -> b.tableName("targets").key(Map.of("job", AttributeValue.fromS("checkout"), "address", AttributeValue.fromS("checkout.internal:9464")))).item();
      assertEquals("payments", item.get("labels").m().get("team").s());
      assertTrue(item.containsKey("expires_at"));
    }
    event.setHeaders(Map.of("authorization", "Bearer nope"));
    assertEquals(401, function.handleRequest(event, null).getStatusCode());
  }
}
