package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Collector config pasted as a user runs it: two layered files, snake_case component names,
 * endpoints from the user's shell variables ({@code ${env:VAR}} and {@code ${VAR}}), two
 * exporters in the traces pipeline and the span_metrics connector feeding a metrics pipeline
 * with its own exporter. Every kept trace reaches both trace backends, nothing dropped reaches
 * either, and the span metrics of every span reach only the metrics backend.
 */
class PastedConfigIT {
  private static final int TRACES = 40;
  private static final Duration DECISION_WAIT = Duration.ofSeconds(3);
  private static final Duration DRAIN = Duration.ofSeconds(60);

  private static final String BASE = """
      receivers:
        otlp:
          protocols:
            grpc: {endpoint: 0.0.0.0:4317}
            http: {endpoint: 0.0.0.0:4318}
      processors:
        batch:
        tail_sampling:
          decision_wait: %ds
          policies:
            - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      connectors:
        span_metrics:
      exporters:
        otlp_http/jaeger:
          endpoint: ${env:JAEGER_OTLP}
        otlp_http/prometheus:
          endpoint: ${env:PROMETHEUS_OTLP}
      service:
        pipelines:
          traces:
            receivers: [otlp]
            processors: [tail_sampling, batch]
            exporters: [otlp_http/jaeger, span_metrics]
          metrics:
            receivers: [span_metrics]
            exporters: [otlp_http/prometheus]
      """.formatted(DECISION_WAIT.toSeconds());
  /** The layer: a second trace backend; the traces pipeline's exporter list is replaced as a whole. */
  private static final String LAYER = """
      exporters:
        otlp_http/tempo:
          endpoint: ${TEMPO_OTLP}
          compression: none
      service:
        pipelines:
          traces:
            exporters: [otlp_http/jaeger, otlp_http/tempo, span_metrics]
      """;

  private static Path folder;
  private static OtlpSink jaeger;
  private static OtlpSink tempo;
  private static OtlpSink prometheus;
  private static LocalStack stack;

  @BeforeAll
  static void start() throws IOException {
    folder = Files.createTempDirectory("pasted-config-it");
    Path base = Files.writeString(folder.resolve("otelcol-config.yml"), BASE);
    Path layer = Files.writeString(folder.resolve("otelcol-config-extras.yml"), LAYER);
    jaeger = OtlpSink.start();
    tempo = OtlpSink.start();
    prometheus = OtlpSink.start();
    // As a user's shell would have them: none of these names is one the stack knows.
    Map<String, String> shell = Map.of(
        "PIPELINE_CONFIG", base + "," + layer,
        "JAEGER_OTLP", jaeger.endpoint(),
        "TEMPO_OTLP", tempo.endpoint(),
        "PROMETHEUS_OTLP", prometheus.endpoint());
    stack = LocalStack.start(LocalStackOptions.fromEnvironment(shell)
        .otlpPort(0)
        .targetsPort(0)
        .statusPage(0)
        .statusInterval(Duration.ZERO)
        .dataDirectory(folder.resolve("data"))
        .parameter("SamplerBatchingWindowSeconds", "1")
        .parameter("SpanMetricsBatchingWindowSeconds", "1")
        .schedules(false));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    for (OtlpSink sink : new OtlpSink[] {jaeger, tempo, prometheus}) {
      if (sink != null) {
        sink.close();
      }
    }
  }

  @Test
  void keptTracesReachBothTraceBackendsAndSpanMetricsTheMetricsBackend() {
    Set<String> kept = new HashSet<>();
    Set<String> allSpans = new HashSet<>();
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(stack.otlpEndpoint() + "/v1/traces")
        .addHeader("Authorization", "Bearer " + stack.ingestToken())
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shop")))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
    try {
      Tracer tracer = provider.get("pasted-config-it");
      for (int t = 0; t < TRACES; t++) {
        Span root = tracer.spanBuilder("GET /cart").setSpanKind(SpanKind.SERVER).startSpan();
        Span child = tracer.spanBuilder("SELECT cart").setParent(Context.root().with(root)).startSpan();
        boolean error = t % 4 == 0;
        if (error) {
          child.setStatus(StatusCode.ERROR, "no such cart");
        }
        child.end();
        root.end();
        Set<String> ids = Set.of(root.getSpanContext().getSpanId(), child.getSpanContext().getSpanId());
        allSpans.addAll(ids);
        if (error) {
          kept.addAll(ids);
        }
      }
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    Instant due = Instant.now().plus(DECISION_WAIT);
    stack.awaitDrained(DRAIN);
    pauseUntil(due);
    // a tick on every shard carries its time past decision_wait, so the sampler decides the parked traces
    stack.fireSchedule("TraceTickFunction");
    stack.awaitDrained(DRAIN);

    assertEquals(kept, spanIds(jaeger), "jaeger got every span of every kept trace, and nothing else");
    assertEquals(jaeger.spans().size(), kept.size(), "jaeger got each span once");
    assertEquals(kept, spanIds(tempo), "tempo got every span of every kept trace, and nothing else");
    assertEquals(tempo.spans().size(), kept.size(), "tempo got each span once");
    assertEquals(allSpans.size(), calls(prometheus), "span metrics count every span, kept or not");
    assertEquals(List.of(), prometheus.spans(), "the metrics backend gets no traces");
    assertEquals(List.of(), jaeger.metrics(), "the trace backends get no span metrics");
    assertEquals(List.of(), tempo.metrics(), "the trace backends get no span metrics");
  }

  private static Set<String> spanIds(OtlpSink sink) {
    Set<String> ids = new HashSet<>();
    for (io.opentelemetry.proto.trace.v1.Span s : sink.spans()) {
      ids.add(HexFormat.of().formatHex(s.getSpanId().toByteArray()));
    }
    return ids;
  }

  private static long calls(OtlpSink sink) {
    long calls = 0;
    for (Metric m : sink.metrics()) {
      if (m.getName().equals("traces.span.metrics.calls")) {
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          calls += p.getAsInt();
        }
      }
    }
    return calls;
  }

  private static void pauseUntil(Instant due) {
    Duration left = Duration.between(Instant.now(), due);
    if (left.isNegative()) {
      return;
    }
    try {
      Thread.sleep(left.toMillis() + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
