package io.otelpipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.otelpipeline.core.auth.BearerTokens;
import io.otelpipeline.core.ingest.IngestLimits;
import io.otelpipeline.core.ingest.OtlpReceiver;
import io.otelpipeline.core.ingest.SignalRoutes;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.partition.PackedRecord;
import io.otelpipeline.core.partition.ShardMap;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.stream.StreamWriter;
import io.otelpipeline.core.stream.WriteOutcome;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The handler on the same Function URL events that `sam local invoke -e` sends. */
class IngestFunctionTest {
  private final List<PackedRecord> written = new ArrayList<>();

  private IngestFunction function() {
    StreamWriter writer = (stream, records, deadline) -> {
      written.addAll(records);
      return new WriteOutcome(records.size(), 0, records.stream().mapToLong(PackedRecord::itemCount).sum(), 0, false, null);
    };
    OtlpReceiver receiver = new OtlpReceiver(BearerTokens.parse("local-dev-token"), IngestLimits.defaults(),
        new SignalRoutes(Map.of(Signal.TRACES, "traces", Signal.METRICS, "metrics", Signal.LOGS, "logs"), Compression.ZSTD,
            name -> ShardMap.evenlySplit(2), writer, Clock.systemUTC()),
        Telemetry.noop());
    return new IngestFunction(receiver, Telemetry.noop(), Clock.systemUTC());
  }

  private int spansWritten() throws Exception {
    int spans = 0;
    for (PackedRecord r : written) {
      ExportTraceServiceRequest part = ExportTraceServiceRequest.parseFrom(RecordEnvelope.parse(r.data()).otlpRequest());
      spans += part.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream()).mapToInt(ss -> ss.getSpansCount()).sum();
    }
    return spans;
  }

  @Test
  void protobufEventIsAcceptedAndItsSpansWritten() throws Exception {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/ingest-traces-protobuf.json");
    IngestFunction f = function();
    APIGatewayV2HTTPResponse response = f.handleRequest(event, null);
    assertEquals(200, response.getStatusCode());
    assertEquals("application/x-protobuf", response.getHeaders().get("Content-Type"));
    assertEquals(ExportTraceServiceResponse.getDefaultInstance(),
        ExportTraceServiceResponse.parseFrom(Base64.getDecoder().decode(response.getBody())));
    assertEquals(3, spansWritten());
  }

  @Test
  void jsonEventIsAcceptedAndAnsweredInJson() throws Exception {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/ingest-traces-json.json");
    IngestFunction f = function();
    APIGatewayV2HTTPResponse response = f.handleRequest(event, null);
    assertEquals(200, response.getStatusCode());
    assertEquals("application/json", response.getHeaders().get("Content-Type"));
    assertEquals("{}", new String(Base64.getDecoder().decode(response.getBody())));
    assertEquals(2, spansWritten());
    assertEquals(1, written.size(), "both spans of the trace in one record");
  }

  @Test
  void wrongTokenIsRefusedWithAStatusBody() throws Exception {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/ingest-traces-protobuf.json");
    Map<String, String> headers = new HashMap<>(event.getHeaders());
    headers.put("authorization", "Bearer wrong");
    event.setHeaders(headers);
    IngestFunction f = function();
    APIGatewayV2HTTPResponse response = f.handleRequest(event, null);
    assertEquals(401, response.getStatusCode());
    Status status = Status.parseFrom(Base64.getDecoder().decode(response.getBody()));
    assertEquals(16, status.getCode());
    assertEquals(0, written.size());
  }
}
