package io.otelpipeline.scraper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The function with its template environment against DynamoDB Local, started with the sample payload. */
class ScraperFunctionTest {
  static DynamoDBProxyServer server;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    server = ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-port", Integer.toString(port)});
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  @Test
  void theSamplePayloadRunsTheShardAndABadPayloadIsNamed(@TempDir Path exportDir) throws Exception {
    Map<String, String> env =
        Map.of(
            "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local",
            "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + port,
            "SCRAPE_STATE_TABLE", "scrape-state",
            "SCRAPE_WINDOW", "1s",
            "EXPORT_DEBUG_DIR", exportDir.toString());
    try (DynamoDbClient d = new AwsClients(new FunctionEnvironment(env)).dynamoDb()) {
      d.createTable(b -> b.tableName("scrape-state").billingMode("PAY_PER_REQUEST")
          .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
          .keySchema(k -> k.attributeName("id").keyType("HASH")));
    }
    Map<String, Object> payload = new ObjectMapper().readValue(Files.readString(Path.of("../../events/scraper-invoke.json")), new TypeReference<>() {});
    ScraperFunction function = new ScraperFunction(env);
    Map<String, Object> out = function.handleRequest(payload, null);
    assertEquals("lambda-0", out.get("shard"));
    assertEquals(0, out.get("scrapes"), "no assignment yet: nothing to scrape");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> function.handleRequest(Map.of("shard", "zero"), null));
    assertTrue(e.getMessage().contains("\"shard\": <number>, \"assignmentVersion\": <number>"), e.getMessage());
  }
}
