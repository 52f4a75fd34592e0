package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry Java SDK's own OTLP/HTTP exporter, gzip on, against the local stack's ingest. */
class OtelSdkIngestIT {
  @Test
  void sdkExportsAreAcceptedAndEverySpanIsInTheTracesStreamPartitionedByTrace() throws Exception {
    try (LocalStack stack = LocalStack.start(LocalStackOptions.defaults().shardCount("TracesStream", 4).schedules(false))) {
      OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
          .setEndpoint(stack.otlpEndpoint() + "/v1/traces")
          .setCompression("gzip")
          .addHeader("Authorization", "Bearer " + stack.ingestToken())
          .build();
      SdkTracerProvider provider = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "frontend")))
          .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(64).build())
          .build();
      Tracer tracer = provider.get("sdk-ingest-it");
      Set<String> traceIds = new HashSet<>();
      Set<String> spanIds = new HashSet<>();
      for (int t = 0; t < 60; t++) {
        Span root = tracer.spanBuilder("GET /api/cart").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope scope = root.makeCurrent()) {
          for (int c = 0; c < 3; c++) {
            Span child = tracer.spanBuilder("SELECT cart_items").setSpanKind(SpanKind.CLIENT).startSpan();
            spanIds.add(child.getSpanContext().getSpanId());
            child.end();
          }
        }
        traceIds.add(root.getSpanContext().getTraceId());
        spanIds.add(root.getSpanContext().getSpanId());
        root.end();
      }
      CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
      assertTrue(flushed.isSuccess(), "the SDK's exports were answered with success");
      provider.shutdown().join(10, TimeUnit.SECONDS);

      List<StreamReadback.StoredSpan> stored = StreamReadback.spans(stack.kinesis(), stack.physicalName("TracesStream"));
      Map<ByteString, Integer> counts = StreamReadback.countsBySpanId(stored);
      assertEquals(spanIds.size(), counts.size());
      counts.values().forEach(n -> assertEquals(1, n));
      Set<String> storedSpanIds = new HashSet<>();
      stored.forEach(s -> storedSpanIds.add(java.util.HexFormat.of().formatHex(s.span().getSpanId().toByteArray())));
      assertEquals(spanIds, storedSpanIds);
      Map<ByteString, Set<String>> shards = StreamReadback.shardsByTrace(stored);
      assertEquals(traceIds.size(), shards.size());
      shards.values().forEach(s -> assertEquals(1, s.size(), "a trace split over shards"));
      assertFalse(shards.values().stream().distinct().count() < 2, "60 traces spread over more than one of 4 shards");
    }
  }
}
