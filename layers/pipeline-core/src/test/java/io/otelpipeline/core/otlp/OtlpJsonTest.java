package io.otelpipeline.core.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.testing.TraceCorpus;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {
  private static final String JSON = """
      {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
        "scopeSpans":[{"scope":{"name":"manual"},"spans":[{
          "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173",
          "name":"POST /api/checkout","kind":2,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":1544712661000000000,
          "attributes":[{"key":"http.response.status_code","value":{"intValue":"500"}}],
          "status":{"code":2,"message":"boom"},"someFutureField":{"x":1}}]}]}]}
      """;

  @Test
  void parsesHexIdsIntegerEnumsAndStringInt64sAndIgnoresUnknownFields() throws Exception {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    OtlpJson.merge(JSON.getBytes(StandardCharsets.UTF_8), b);
    Span span = b.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertEquals("5b8efff798038103d269b633813fc60c", HexFormat.of().formatHex(span.getTraceId().toByteArray()));
    assertEquals("eee19b7ec3c1b174", HexFormat.of().formatHex(span.getSpanId().toByteArray()));
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, span.getKind());
    assertEquals(1544712660000000000L, span.getStartTimeUnixNano());
    assertEquals(1544712661000000000L, span.getEndTimeUnixNano());
    assertEquals(500, span.getAttributes(0).getValue().getIntValue());
    assertEquals(2, span.getStatus().getCodeValue());
  }

  @Test
  void printsWhatItParses() throws Exception {
    ExportTraceServiceRequest request = TraceCorpus.request(5, 30, 5);
    String json = OtlpJson.print(request);
    assertTrue(json.contains("\"traceId\":\"" + HexFormat.of().formatHex(request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray())));
    assertTrue(json.contains("\"kind\":"), "enums as integers");
    ExportTraceServiceRequest.Builder back = ExportTraceServiceRequest.newBuilder();
    OtlpJson.merge(json.getBytes(StandardCharsets.UTF_8), back);
    assertEquals(request, back.build());
  }

  @Test
  void malformedJsonNamesTheProblem() {
    InvalidProtocolBufferException e = assertThrows(InvalidProtocolBufferException.class,
        () -> OtlpJson.merge("{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), ExportTraceServiceRequest.newBuilder()));
    assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
    InvalidProtocolBufferException wrongType = assertThrows(InvalidProtocolBufferException.class,
        () -> OtlpJson.merge("{\"resourceSpans\": 5}".getBytes(StandardCharsets.UTF_8), ExportTraceServiceRequest.newBuilder()));
    assertTrue(wrongType.getMessage().contains("invalid OTLP/JSON"), wrongType.getMessage());
  }
}
