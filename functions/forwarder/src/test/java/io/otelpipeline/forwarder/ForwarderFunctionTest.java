package io.otelpipeline.forwarder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.otelpipeline.core.testing.FolderRuntime;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.otelpipeline.core.otlp.OtlpCounts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler on the event that {@code sam local invoke -e events/forwarder-kinesis.json} sends. */
class ForwarderFunctionTest {
  private static final String EVENT = "../../events/forwarder-kinesis.json";

  @TempDir Path folder;
  private HttpServer backend;
  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);

  @BeforeEach
  void startBackend() throws IOException {
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext(
        "/v1/metrics",
        exchange -> {
          try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(exchange.getRequestBody().readAllBytes()))) {
            received.add(in.readAllBytes());
          }
          exchange.sendResponseHeaders(status.get(), -1);
          exchange.close();
        });
    backend.start();
  }

  @AfterEach
  void stopBackend() {
    backend.stop(0);
  }

  private ForwarderFunction function() {
    return new ForwarderFunction(new FolderRuntime(
        Map.of(
            "EXPORT_OTLP_ENDPOINT", "http://127.0.0.1:" + backend.getAddress().getPort(),
            "EXPORT_BREAKER_FAILURES", "1",
            "FAILURE_DIR", folder.resolve("failures").toString())));
  }

  @Test
  void forwardsTheEventsMetricsAsOneRequestAndReportsNoFailures() throws Exception {
    KinesisEvent event = EventLoader.loadKinesisEvent(EVENT);

    StreamsEventResponse response = function().handleRequest(event, null);

    assertEquals(List.of(), response.getBatchItemFailures());
    assertEquals(1, received.size(), "both records in one request");
    ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(received.get(0));
    assertEquals(3, OtlpCounts.dataPoints(request));
    assertEquals(
        List.of("checkout", "cart"),
        request.getResourceMetricsList().stream().map(r -> r.getResource().getAttributes(0).getValue().getStringValue()).toList());
  }

  @Test
  void aBackendOutageFailsTheBatchFromItsFirstRecord() {
    status.set(503);
    KinesisEvent event = EventLoader.loadKinesisEvent(EVENT);

    StreamsEventResponse response = function().handleRequest(event, null);

    assertEquals(1, response.getBatchItemFailures().size());
    assertEquals(
        event.getRecords().get(0).getKinesis().getSequenceNumber(), response.getBatchItemFailures().get(0).getItemIdentifier());
  }

  @Test
  void anUndecodableRecordGoesToTheFailureFolderAndTheOtherIsForwarded() throws Exception {
    KinesisEvent event = EventLoader.loadKinesisEvent(EVENT);
    event.getRecords().get(0).getKinesis().setData(ByteBuffer.wrap("{\"not\":\"an envelope\"}".getBytes()));

    StreamsEventResponse response = function().handleRequest(event, null);

    assertEquals(List.of(), response.getBatchItemFailures());
    assertEquals(1, OtlpCounts.dataPoints(ExportMetricsServiceRequest.parseFrom(received.get(0))));
    String sequence = event.getRecords().get(0).getKinesis().getSequenceNumber();
    String base = "otel-pipeline-MetricsStream.shardId-000000000000." + sequence + ".";
    List<Path> sidecars;
    try (java.util.stream.Stream<Path> files = Files.list(folder.resolve("failures"))) {
      sidecars = files.filter(f -> f.getFileName().toString().startsWith(base) && f.toString().endsWith(".json")).toList();
    }
    assertEquals(1, sidecars.size(), "one failure kept for the record: " + sidecars);
    JsonNode json = new ObjectMapper().readTree(Files.readString(sidecars.get(0)));
    assertEquals(sequence, json.get("sequenceNumber").asText());
    assertTrue(json.get("reason").asText().contains("envelope magic byte"), json.get("reason").asText());
  }
}
