package io.otelpipeline.core.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.consume.BatchResult;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.export.OtlpSamples;
import io.otelpipeline.core.export.RecordingTelemetry;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.export.TestOtlpServer;
import io.otelpipeline.core.export.TestOtlpServer.Reply;
import io.otelpipeline.core.otlp.OtlpCounts;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.testing.FolderRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forwarder against a real OTLP/HTTP server and the local failure folder. */
class RecordForwarderTest {
  private static final String STREAM = "arn:aws:kinesis:eu-west-1:123456789012:stream/MetricsStream";
  private static final Instant DEADLINE = Instant.now().plusSeconds(300);

  @TempDir Path failures;
  private final RecordingTelemetry telemetry = new RecordingTelemetry();
  private TestOtlpServer server;
  private int sequence = 100;

  @AfterEach
  void stop() {
    server.close();
  }

  private RecordForwarder forwarder(Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("FAILURE_DIR", failures.toString());
    env.putAll(extraEnv);
    FunctionEnvironment environment = new FunctionEnvironment(env);
    PipelineConfig noRetries =
        PipelineConfig.parse(
            "pipeline.yaml", "exporters:\n  otlphttp:\n    endpoint: " + server.baseUrl() + "\n    retry_on_failure:\n      enabled: false\n", environment);
    FolderRuntime runtime = new FolderRuntime(env);
    SignalExporter exporter = runtime.exporter(noRetries, telemetry, Feed.OTLP_RECEIVER);
    return new RecordForwarder(exporter, runtime.failureDestination(), telemetry);
  }

  private StreamRecord record(Signal signal, Message request, int items) {
    byte[] data = RecordEnvelope.wrap(signal, Compression.GZIP, items, request.toByteArray()).toBytes();
    return raw(data);
  }

  private StreamRecord raw(byte[] data) {
    return new StreamRecord(STREAM, "shardId-000000000000", String.valueOf(sequence++), "key", data, Instant.EPOCH);
  }

  private StreamRecord metrics(int points) {
    return record(Signal.METRICS, OtlpSamples.metrics(1, points), points);
  }

  private int metricPointsReceived() throws Exception {
    int n = 0;
    for (TestOtlpServer.Received r : server.received()) {
      if (r.path().equals("/v1/metrics")) {
        n += OtlpCounts.dataPoints(ExportMetricsServiceRequest.parseFrom(r.body()));
      }
    }
    return n;
  }

  @Test
  void consecutiveRecordsOfOneSignalTravelAsOneRequestInOrder() throws Exception {
    server = TestOtlpServer.start(Reply.ok());
    List<StreamRecord> batch =
        List.of(
            metrics(1), metrics(2), metrics(3),
            record(Signal.LOGS, OtlpSamples.logs(1, 4), 4), record(Signal.LOGS, OtlpSamples.logs(2, 1), 2),
            metrics(5));

    assertEquals(BatchResult.allHandled(), forwarder(Map.of()).forward(batch, DEADLINE));

    List<String> paths = server.received().stream().map(TestOtlpServer.Received::path).toList();
    assertEquals(List.of("/v1/metrics", "/v1/logs", "/v1/metrics"), paths);
    ExportMetricsServiceRequest merged = ExportMetricsServiceRequest.parseFrom(server.received().get(0).body());
    assertEquals(3, merged.getResourceMetricsCount());
    assertEquals(6, OtlpCounts.dataPoints(merged));
    assertEquals(6, OtlpCounts.logRecords(ExportLogsServiceRequest.parseFrom(server.received().get(1).body())));
    assertEquals(11, metricPointsReceived());
    assertEquals(11, telemetry.counter("otelcol_exporter_sent_metric_points"));
    assertEquals(6, telemetry.counter("otelcol_exporter_sent_log_records"));
    assertEquals(3, telemetry.counter(RecordForwarder.EXPORT_REQUESTS.name()));
  }

  @Test
  void requestsStayUnderTheExportersSizeLimit() throws Exception {
    server = TestOtlpServer.start(Reply.ok());
    List<StreamRecord> batch = new ArrayList<>();
    int recordBytes = OtlpSamples.metrics(1, 20).getSerializedSize();
    for (int i = 0; i < 10; i++) {
      batch.add(metrics(20));
    }
    int limit = Math.max(1024, recordBytes * 3 + 10);

    assertEquals(BatchResult.allHandled(), forwarder(Map.of("EXPORT_MAX_REQUEST_BYTES", String.valueOf(limit))).forward(batch, DEADLINE));

    assertEquals(200, metricPointsReceived());
    assertTrue(server.received().size() >= 10 / (limit / recordBytes), "requests: " + server.received().size());
    for (TestOtlpServer.Received r : server.received()) {
      assertTrue(r.body().length <= limit, r.body().length + " bytes");
    }
  }

  @Test
  void anUndecodableRecordGoesRawToTheFailureDestinationAndTheRestFlowsOn() throws Exception {
    server = TestOtlpServer.start(Reply.ok());
    byte[] garbage = "not an envelope".getBytes();
    StreamRecord before = metrics(2);
    StreamRecord bad = raw(garbage);
    StreamRecord after = metrics(3);

    assertEquals(BatchResult.allHandled(), forwarder(Map.of()).forward(List.of(before, bad, after), DEADLINE));

    assertEquals(5, metricPointsReceived());
    String base = "MetricsStream.shardId-000000000000." + bad.sequenceNumber();
    Path kept = onlyFailureFile(base);
    assertArrayEquals(garbage, Files.readAllBytes(kept));
    String reason = new ObjectMapper().readTree(Path.of(kept.toString().replaceAll("\\.bin$", ".json")).toFile()).get("reason").asText();
    assertTrue(reason.contains("envelope magic byte"), reason);
    assertEquals(1, telemetry.counter(RecordForwarder.FAILED_RECORDS.name()));
  }

  @Test
  void aBackendThatMayTakeItLaterFailsTheBatchFromTheFirstUnexportedRecord() throws Exception {
    server = TestOtlpServer.start(Reply.ok(), Reply.status(503));
    StreamRecord sentMetrics = metrics(2);
    StreamRecord firstLog = record(Signal.LOGS, OtlpSamples.logs(1, 1), 1);
    StreamRecord secondLog = record(Signal.LOGS, OtlpSamples.logs(1, 1), 1);
    StreamRecord laterMetrics = metrics(4);

    BatchResult result = forwarder(Map.of()).forward(List.of(sentMetrics, firstLog, secondLog, laterMetrics), DEADLINE);

    assertEquals(BatchResult.failedFrom(firstLog.sequenceNumber()), result);
    assertEquals(List.of("/v1/metrics", "/v1/logs"), server.received().stream().map(TestOtlpServer.Received::path).toList());
    assertEquals(0, Files.list(failures).count(), "nothing retryable goes to the failure destination");
  }

  @Test
  void aRefusedMergedRequestIsRetriedRecordByRecordSoOnlyTheRefusedOneGoesToTheFailureDestination() throws Exception {
    byte[] status = Status.newBuilder().setCode(3).setMessage("data point timestamp is in the future").build().toByteArray();
    Reply refused = Reply.withBody(400, "application/x-protobuf", status);
    server = TestOtlpServer.start(refused, Reply.ok(), refused, Reply.ok());
    StreamRecord first = metrics(1);
    StreamRecord refusedRecord = metrics(2);
    StreamRecord third = metrics(3);

    assertEquals(BatchResult.allHandled(), forwarder(Map.of()).forward(List.of(first, refusedRecord, third), DEADLINE));

    assertEquals(4, server.received().size());
    String base = "MetricsStream.shardId-000000000000." + refusedRecord.sequenceNumber();
    Path kept = onlyFailureFile(base);
    assertArrayEquals(refusedRecord.data(), Files.readAllBytes(kept));
    String reason = new ObjectMapper().readTree(Path.of(kept.toString().replaceAll("\\.bin$", ".json")).toFile()).get("reason").asText();
    assertTrue(reason.contains("HTTP 400") && reason.contains("data point timestamp is in the future"), reason);
    assertEquals(2, Files.list(failures).count());
    assertEquals(
        List.of(6, 1, 2, 3),
        server.received().stream().map(r -> points(r.body())).toList(),
        "the merged request, then each record alone");
  }

  @Test
  void whenTheFailureDestinationIsUnavailableTheRecordStaysInTheStream() throws Exception {
    server = TestOtlpServer.start(Reply.ok());
    Path notAFolder = Files.writeString(failures.resolve("occupied"), "a file where the folder should be");
    StreamRecord good = metrics(1);
    StreamRecord bad = raw(new byte[] {1, 2, 3});
    StreamRecord after = metrics(1);

    BatchResult result = forwarder(Map.of("FAILURE_DIR", notAFolder.toString())).forward(List.of(good, bad, after), DEADLINE);

    assertEquals(BatchResult.failedFrom(bad.sequenceNumber()), result);
    assertEquals(1, metricPointsReceived());
  }

  private static int points(byte[] body) {
    try {
      return OtlpCounts.dataPoints(ExportMetricsServiceRequest.parseFrom(body));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The one raw-bytes file kept for a record, named by its stream, shard and sequence and an id of its own. */
  private Path onlyFailureFile(String base) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.list(failures)) {
      List<Path> kept = files.filter(f -> f.getFileName().toString().startsWith(base + ".") && f.toString().endsWith(".bin")).toList();
      assertEquals(1, kept.size(), "one failure file for " + base + ": " + kept);
      return kept.get(0);
    }
  }
}
