package io.otelpipeline.core.consume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.testing.FolderRuntime;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureDestinationsTest {
  private static final StreamRecord RECORD =
      new StreamRecord(
          "arn:aws:kinesis:eu-west-1:123456789012:stream/otel-MetricsStream-ABC",
          "shardId-000000000003",
          "49590338271490256608559692538361571095921575989136588898",
          "series-17",
          new byte[] {0x4F, 0x01, 0x07, 0x00, 0, 0, 0, 1, 42},
          Instant.parse("2025-01-01T00:00:00Z"));

  @TempDir Path folder;

  @Test
  void locallyEachSendBecomesItsRawBytesAndASidecarWithTheReasonUnderItsOwnName() throws Exception {
    FailureDestination destination = new FolderRuntime(Map.of("FAILURE_DIR", folder.toString())).failureDestination();

    String first = destination.send(RECORD, "record envelope has unknown signal code 7");
    String second = destination.send(RECORD, "the backend refused it");

    assertNotEquals(first, second, "a record that fails twice is kept twice");
    String prefix = "otel-MetricsStream-ABC.shardId-000000000003." + RECORD.sequenceNumber() + ".";
    assertTrue(Path.of(first).getFileName().toString().startsWith(prefix), first);
    assertArrayEquals(RECORD.data(), Files.readAllBytes(Path.of(first)));
    assertArrayEquals(RECORD.data(), Files.readAllBytes(Path.of(second)));
    JsonNode sidecar = new ObjectMapper().readTree(Path.of(first.replaceAll("\\.bin$", ".json")).toFile());
    assertEquals("otel-MetricsStream-ABC", sidecar.get("stream").asText());
    assertEquals("shardId-000000000003", sidecar.get("shardId").asText());
    assertEquals(RECORD.sequenceNumber(), sidecar.get("sequenceNumber").asText());
    assertEquals("series-17", sidecar.get("partitionKey").asText());
    assertEquals("record envelope has unknown signal code 7", sidecar.get("reason").asText());
    assertEquals("the backend refused it",
        new ObjectMapper().readTree(Path.of(second.replaceAll("\\.bin$", ".json")).toFile()).get("reason").asText());
  }

  @Test
  void deployedEachSendIsAnObjectKeyedByStreamShardSequenceAndItsOwnIdWithTheReasonInItsMetadata() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    HttpServer s3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s3.createContext(
        "/",
        exchange -> {
          seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
          seen.add("reason=" + exchange.getRequestHeaders().getFirst("x-amz-meta-reason"));
          seen.add("sequence=" + exchange.getRequestHeaders().getFirst("x-amz-meta-sequence-number"));
          bodies.add(exchange.getRequestBody().readAllBytes());
          exchange.getResponseHeaders().add("ETag", "\"etag\"");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    s3.start();
    try {
      FunctionEnvironment env =
          new FunctionEnvironment(
              Map.of(
                  "AWS_REGION", "eu-west-1",
                  "AWS_ACCESS_KEY_ID", "test",
                  "AWS_SECRET_ACCESS_KEY", "test",
                  "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s3.getAddress().getPort()));
      FailureDestination destination = new BucketFailureDestination(new AwsClients(env).s3(), "failures");

      String where = destination.send(RECORD, "HTTP 400 from https://backend/v1/metrics: métrique invalide");
      destination.send(RECORD, "HTTP 400 again");

      String key = "otel-MetricsStream-ABC/shardId-000000000003/" + RECORD.sequenceNumber() + "/";
      assertTrue(seen.get(0).startsWith("PUT /failures/" + key), seen.get(0));
      assertEquals("PUT /failures/" + where.substring("s3://failures/".length()), seen.get(0), "the location is where it went");
      assertTrue(seen.get(3).startsWith("PUT /failures/" + key) && !seen.get(3).equals(seen.get(0)), "the second send has its own key: " + seen);
      assertEquals("reason=HTTP 400 from https://backend/v1/metrics: m??trique invalide", seen.get(1));
      assertEquals("sequence=" + RECORD.sequenceNumber(), seen.get(2));
      assertTrue(contains(bodies.get(0), RECORD.data()), "the raw bytes are the object's content");
    } finally {
      s3.stop(0);
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
