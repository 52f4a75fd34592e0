package io.otelpipeline.scraper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelpipeline.core.testing.FolderRuntime;
import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.TableSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The function with its template environment against DynamoDB Local, started with the sample payload. */
class ScraperFunctionTest {
  static LocalDynamoDb dynamo;

  @BeforeAll
  static void start() {
    dynamo = LocalDynamoDb.start().create(TableSpec.byId("scrape-state"));
  }

  @AfterAll
  static void stop() {
    dynamo.close();
  }

  @Test
  void theSamplePayloadRunsTheShardAndABadPayloadIsNamed(@TempDir Path exportDir) throws Exception {
    Map<String, String> env =
        Map.of(
            "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local",
            "AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString(),
            "SCRAPE_STATE_TABLE", "scrape-state",
            "SCRAPE_WINDOW", "1s",
            "EXPORT_DEBUG_DIR", exportDir.toString());
    Map<String, Object> payload = new ObjectMapper().readValue(Files.readString(Path.of("../../events/scraper-invoke.json")), new TypeReference<>() {});
    ScraperFunction function = new ScraperFunction(new FolderRuntime(env));
    Map<String, Object> out = function.handleRequest(payload, null);
    assertEquals("lambda-0", out.get("shard"));
    assertEquals(0, out.get("scrapes"), "no assignment yet: nothing to scrape");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> function.handleRequest(Map.of("shard", "zero"), null));
    assertTrue(e.getMessage().contains("\"shard\": <number>, \"assignmentVersion\": <number>"), e.getMessage());
  }
}
