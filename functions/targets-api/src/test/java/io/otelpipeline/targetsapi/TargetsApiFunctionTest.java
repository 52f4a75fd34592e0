package io.otelpipeline.targetsapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.otelpipeline.core.testing.FolderRuntime;
import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.TableSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The function as the local stack runs it: its environment, DynamoDB Local, the sample event. */
class TargetsApiFunctionTest {
  static LocalDynamoDb dynamo;
  static Map<String, String> env;

  @BeforeAll
  static void start() {
    dynamo = LocalDynamoDb.start().create(TableSpec.targets("targets"), TableSpec.byId("collectors"), TableSpec.byId("scrape-state"));
    env =
        Map.of(
            "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local",
            "AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString(),
            "TARGETS_TABLE", "targets",
            "COLLECTORS_TABLE", "collectors",
            "SCRAPE_STATE_TABLE", "scrape-state",
            "INGEST_TOKENS", "local-dev-token");
  }

  @AfterAll
  static void stop() {
    dynamo.close();
  }

  static String body(APIGatewayV2HTTPResponse r) {
    return new String(Base64.getDecoder().decode(r.getBody()), StandardCharsets.UTF_8);
  }

  @Test
  void theSampleRegistrationIsStored() throws Exception {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(Path.of("../../events/targets-api-put-target.json").toString());
    TargetsApiFunction function = new TargetsApiFunction(new FolderRuntime(env));
    APIGatewayV2HTTPResponse r = function.handleRequest(event, null);
    assertEquals(200, r.getStatusCode(), body(r));
    assertTrue(body(r).contains("\"interval_ms\":30000"), body(r));
    Map<String, AttributeValue> item =
        dynamo.client().getItem(b -> b.tableName("targets").key(Map.of("job", AttributeValue.fromS("checkout"), "address", AttributeValue.fromS("checkout.internal:9464")))).item();
    assertEquals("payments", item.get("labels").m().get("team").s());
    assertTrue(item.containsKey("expires_at"));
    event.setHeaders(Map.of("authorization", "Bearer nope"));
    assertEquals(401, function.handleRequest(event, null).getStatusCode());
  }
}
