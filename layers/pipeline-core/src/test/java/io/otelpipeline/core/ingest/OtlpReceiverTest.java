package io.otelpipeline.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.otelpipeline.core.auth.BearerTokens;
import io.otelpipeline.core.otlp.OtlpJson;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.partition.PackedRecord;
import io.otelpipeline.core.partition.ShardMap;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.stream.StreamWriter;
import io.otelpipeline.core.stream.WriteOutcome;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.TraceCorpus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The receiver's protocol handling; writing to a real stream is covered against kinesis-mock in infra-tests. */
class OtlpReceiverTest {
  private static final String TOKEN = "s3cret-token";

  /** Records what would be written and answers as told: the receiver's decisions are pure given the outcome. */
  private static final class RecordingWriter implements StreamWriter {
    final List<PackedRecord> written = new ArrayList<>();
    WriteOutcome nextFailure;

    @Override
    public WriteOutcome write(String stream, List<PackedRecord> records, Instant deadline) {
      if (nextFailure != null) {
        return nextFailure;
      }
      written.addAll(records);
      long items = records.stream().mapToLong(PackedRecord::itemCount).sum();
      return new WriteOutcome(records.size(), 0, items, 0, false, null);
    }
  }

  private final RecordingWriter writer = new RecordingWriter();
  private final OtlpReceiver receiver = new OtlpReceiver(
      BearerTokens.parse("other," + TOKEN),
      new IngestLimits(1_000_000, 2_000_000, Duration.ofSeconds(3)),
      new SignalRoutes(Map.of(Signal.TRACES, "traces", Signal.METRICS, "metrics", Signal.LOGS, "logs"), Compression.ZSTD,
          name -> ShardMap.evenlySplit(4), writer, Clock.systemUTC()),
      Telemetry.noop());

  private IngestResponse post(String path, String contentType, byte[] body, Map<String, String> extra) {
    Map<String, String> headers = new HashMap<>(extra);
    headers.putIfAbsent("Authorization", "Bearer " + TOKEN);
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return receiver.handle(new IngestRequest("POST", path, headers, body, Instant.now().plusSeconds(5)));
  }

  private static String message(IngestResponse r) throws Exception {
    return r.contentType().equals("application/json")
        ? new String(r.body(), StandardCharsets.UTF_8)
        : Status.parseFrom(r.body()).getMessage();
  }

  @Test
  void acceptsProtobufAndAnswersAnEmptyExportResponse() throws Exception {
    byte[] body = TraceCorpus.request(1, 100, 10).toByteArray();
    IngestResponse r = post("/v1/traces", "application/x-protobuf", body, Map.of());
    assertEquals(200, r.status());
    assertEquals("application/x-protobuf", r.contentType());
    assertEquals(ExportTraceServiceResponse.getDefaultInstance(), ExportTraceServiceResponse.parseFrom(r.body()));
    assertEquals(100, writer.written.stream().mapToInt(PackedRecord::itemCount).sum());
  }

  @Test
  void acceptsGzippedJsonAndAnswersJson() throws Exception {
    String json = OtlpJson.print(TraceCorpus.request(2, 40, 4));
    IngestResponse r = post("/v1/traces", "application/json; charset=utf-8", gzip(json.getBytes(StandardCharsets.UTF_8)),
        Map.of("Content-Encoding", "gzip"));
    assertEquals(200, r.status(), () -> new String(r.body()));
    assertEquals("application/json", r.contentType());
    assertEquals("{}", new String(r.body(), StandardCharsets.UTF_8));
    assertEquals(40, writer.written.stream().mapToInt(PackedRecord::itemCount).sum());
  }

  @Test
  void reportsPartialSuccessForSpansWithInvalidIds() throws Exception {
    ExportTraceServiceRequest request = TraceCorpus.request(3, 10, 2);
    ExportTraceServiceRequest.Builder b = request.toBuilder();
    b.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0).setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[3]));
    IngestResponse r = post("/v1/traces", "application/x-protobuf", b.build().toByteArray(), Map.of());
    assertEquals(200, r.status());
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
    assertEquals(1, response.getPartialSuccess().getRejectedSpans());
    assertTrue(response.getPartialSuccess().getErrorMessage().contains("invalid trace id"));
    assertEquals(9, writer.written.stream().mapToInt(PackedRecord::itemCount).sum());
  }

  @Test
  void everyErrorPathAnswersItsStatusAndNamesTheProblem() throws Exception {
    byte[] ok = TraceCorpus.request(4, 5, 1).toByteArray();
    IngestResponse noToken = post("/v1/traces", "application/x-protobuf", ok, Map.of("Authorization", ""));
    assertEquals(401, noToken.status());
    assertTrue(message(noToken).contains("bearer token"));
    assertEquals(401, post("/v1/traces", "application/x-protobuf", ok, Map.of("Authorization", "Bearer s3cret-tokem")).status());
    assertEquals(401, post("/v1/traces", "application/x-protobuf", ok, Map.of("Authorization", "Basic " + TOKEN)).status());

    IngestResponse notFound = post("/v1/profiles", "application/x-protobuf", ok, Map.of());
    assertEquals(404, notFound.status());
    assertTrue(message(notFound).contains("/v1/profiles"));

    IngestResponse get = receiver.handle(new IngestRequest("GET", "/v1/traces", Map.of("authorization", "Bearer " + TOKEN), new byte[0], Instant.now()));
    assertEquals(405, get.status());
    assertEquals("POST", get.headers().get("Allow"));

    IngestResponse text = post("/v1/traces", "text/plain", ok, Map.of());
    assertEquals(415, text.status());
    assertTrue(message(text).contains("text/plain"));
    assertEquals(415, post("/v1/traces", "application/x-protobuf", ok, Map.of("Content-Encoding", "br")).status());

    IngestResponse tooBig = post("/v1/traces", "application/x-protobuf", new byte[1_000_001], Map.of());
    assertEquals(413, tooBig.status());
    assertTrue(message(tooBig).contains("1000000"));

    IngestResponse badGzip = post("/v1/traces", "application/x-protobuf", "not gzip".getBytes(), Map.of("Content-Encoding", "gzip"));
    assertEquals(400, badGzip.status());
    assertTrue(message(badGzip).contains("gzip"));

    IngestResponse badProto = post("/v1/traces", "application/x-protobuf", new byte[] {0x0A, 0x7F, 0x01}, Map.of());
    assertEquals(400, badProto.status());
    assertTrue(message(badProto).contains("malformed OTLP protobuf traces request"), message(badProto));

    IngestResponse badJson = post("/v1/logs", "application/json", "{\"resourceLogs\":[{]".getBytes(), Map.of());
    assertEquals(400, badJson.status());
    assertTrue(message(badJson).contains("malformed"), message(badJson));
    assertEquals(List.of(), writer.written, "nothing written for refused requests");
  }

  @Test
  void aGzipBombIsRefusedWithoutInflatingIt() throws Exception {
    byte[] bomb = gzip(new byte[50_000_000]);
    assertTrue(bomb.length < 1_000_000);
    IngestResponse r = post("/v1/traces", "application/x-protobuf", bomb, Map.of("Content-Encoding", "gzip"));
    assertEquals(413, r.status());
    assertTrue(message(r).contains("decompressed request exceeds the limit of 2000000 bytes"), message(r));
  }

  @Test
  void aFailedWriteAsksTheClientToRetry() throws Exception {
    byte[] body = TraceCorpus.request(6, 50, 5).toByteArray();
    writer.nextFailure = new WriteOutcome(1, 2, 10, 40, false, "InternalFailure: boom");
    IngestResponse unavailable = post("/v1/traces", "application/x-protobuf", body, Map.of());
    assertEquals(503, unavailable.status());
    assertEquals("3", unavailable.headers().get("Retry-After"));
    assertTrue(message(unavailable).contains("2 of 3 stream records could not be written"), message(unavailable));
    writer.nextFailure = new WriteOutcome(0, 3, 0, 50, true, "ProvisionedThroughputExceededException: slow down");
    IngestResponse throttled = post("/v1/traces", "application/x-protobuf", body, Map.of());
    assertEquals(429, throttled.status());
    assertEquals("3", throttled.headers().get("Retry-After"));
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
