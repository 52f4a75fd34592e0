package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OtlpSinkTest {
  @Test
  void keepsWhatTheSdkExportsAndRefusesWhenToldTo() throws Exception {
    try (OtlpSink sink = OtlpSink.start()) {
      SpanExporter exporter = OtlpHttpSpanExporter.builder()
          .setEndpoint(sink.endpoint() + "/v1/traces")
          .setCompression("gzip")
          .setRetryPolicy(null)
          .build();
      List<SpanData> spans = spans("a", "b");
      assertTrue(exporter.export(spans).join(10, TimeUnit.SECONDS).isSuccess());
      assertEquals(List.of("a", "b"), sink.spans().stream().map(io.opentelemetry.proto.trace.v1.Span::getName).toList());

      sink.respondWith(503, 1);
      HttpResponse<Void> refused = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(sink.endpoint() + "/v1/traces")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build(),
          HttpResponse.BodyHandlers.discarding());
      assertEquals(503, refused.statusCode());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
      CompletableResultCode failed = exporter.export(spans("c")).join(10, TimeUnit.SECONDS);
      assertFalse(failed.isSuccess());

      sink.respondWith(200);
      assertTrue(exporter.export(spans("d")).join(10, TimeUnit.SECONDS).isSuccess());
      assertEquals(List.of("a", "b", "d"), sink.spans().stream().map(io.opentelemetry.proto.trace.v1.Span::getName).toList());
      exporter.shutdown();
    }
  }

  private static List<SpanData> spans(String... names) {
    List<SpanData> out = new ArrayList<>();
    SpanExporter collect = new SpanExporter() {
      @Override
      public CompletableResultCode export(java.util.Collection<SpanData> spans) {
        out.addAll(spans);
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(collect)).build()) {
      for (String name : names) {
        Span span = provider.get("test").spanBuilder(name).startSpan();
        span.end();
      }
    }
    return out;
  }
}
