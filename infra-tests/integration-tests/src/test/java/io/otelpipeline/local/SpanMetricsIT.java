package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * RED metrics and the service graph of a known topology, sent by the OpenTelemetry SDK through
 * ingest, the traces stream and the span-metrics function to a test OTLP backend: calls per
 * service equal the spans sent, histogram buckets and failed edges are exact, and stay exact
 * when a batch fails and is retried and when the stream is resharded between two sends.
 *
 * <p>Each test tags its spans' resources with its own {@code test.phase}, which span metrics keep
 * on the series' resource and the service graph as an edge dimension, so the tests share a stack.
 */
class SpanMetricsIT {
  private static final Duration DRAIN = Duration.ofSeconds(60);
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> PHASE = AttributeKey.stringKey("test.phase");
  private static final String CALLS = "traces.span.metrics.calls";
  private static final String DURATION = "traces.span.metrics.duration";
  private static final String EDGES = "traces_service_graph_request_total";
  private static final String FAILED_EDGES = "traces_service_graph_request_failed_total";
  /** Payment latencies by trace number: one per bucket of the explicit buckets below. */
  private static final long[] PAYMENT_MILLIS = {5, 50, 500};

  /**
   * No export retries inside the function, so a 503 fails the batch at once and the event source
   * retries it; a store TTL far longer than the test, so every half waits for its partner.
   */
  private static final String PIPELINE_CONFIG = """
      connectors:
        spanmetrics:
          histogram: {unit: ms, explicit: {buckets: [10ms, 100ms, 1s]}}
        servicegraph:
          dimensions: [test.phase]
          store: {ttl: 10m}
      exporters:
        otlphttp:
          retry_on_failure: {enabled: false}
      """;

  private static OtlpSink sink;
  private static LocalStack stack;

  @BeforeAll
  static void start() throws IOException {
    Path config = Files.createTempFile("span-metrics-it-pipeline", ".yaml");
    Files.writeString(config, PIPELINE_CONFIG);
    sink = OtlpSink.start();
    stack = LocalStack.start(LocalStackOptions.defaults()
        .env("EXPORT_OTLP_ENDPOINT", sink.endpoint())
        .env("PIPELINE_CONFIG", config.toString())
        .env("EXPORT_BREAKER_COOLDOWN", "1s")
        .parameter("SpanMetricsBatchingWindowSeconds", "0")
        .parameter("SamplerBatchingWindowSeconds", "0")
        .shardCount("TracesStream", 2)
        .schedules(false));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (sink != null) {
      sink.close();
    }
  }

  @AfterEach
  void backendUp() {
    sink.respondWith(200);
  }

  @Test
  void redMetricsAndEdgesAreExact() {
    Expected sent = send("steady", 0, 30);
    stack.awaitDrained(DRAIN);
    assertExact("steady", sent);
  }

  @Test
  void aBatchThatFailsToExportIsRetriedAndCountedOnce() {
    TelemetryTotals totals = TelemetryTotals.global();
    double failedBefore = totals.counter("otelcol_exporter_send_failed_metric_points");
    sink.respondWith(503);
    Expected sent = send("retry", 0, 30);
    await("span-metrics fails to export at least one batch to the backend answering 503",
        () -> totals.counter("otelcol_exporter_send_failed_metric_points") > failedBefore);
    sink.respondWith(200);
    stack.awaitDrained(DRAIN);
    assertExact("retry", sent);
  }

  @Test
  void reshardingBetweenTwoSendsKeepsTheCountsExact() throws InterruptedException {
    String stream = stack.physicalName("TracesStream");
    Expected before = send("reshard", 0, 20);
    int shards = stack.kinesis().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().openShardCount();
    stack.kinesis().updateShardCount(b -> b.streamName(stream).targetShardCount(shards * 2).scalingType(ScalingType.UNIFORM_SCALING));
    while (stack.kinesis().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus() != StreamStatus.ACTIVE) {
      Thread.sleep(20);
    }
    Expected after = send("reshard", 20, 20);
    stack.awaitDrained(DRAIN);
    assertTrue(
        stack.kinesis().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().openShardCount() > shards,
        "the stream was resharded");
    assertExact("reshard", before.plus(after));
  }

  /** What a phase sent: traces, payment failures, and payment spans per duration bucket. */
  private record Expected(int traces, int failures, List<Long> paymentBuckets) {
    Expected plus(Expected o) {
      List<Long> buckets = new ArrayList<>();
      for (int i = 0; i < paymentBuckets.size(); i++) {
        buckets.add(paymentBuckets.get(i) + o.paymentBuckets.get(i));
      }
      return new Expected(traces + o.traces, failures + o.failures, buckets);
    }
  }

  /**
   * Sends traces {@code first..first+count-1}, each frontend (SERVER, CLIENT) -> checkout (SERVER,
   * CLIENT) -> payment (SERVER); every fourth payment fails; payment takes 5, 50 or 500 ms in turn.
   */
  private static Expected send(String phase, int first, int count) {
    List<SdkTracerProvider> providers = new ArrayList<>();
    Tracer frontend = tracer("frontend", phase, providers);
    Tracer checkout = tracer("checkout", phase, providers);
    Tracer payment = tracer("payment", phase, providers);
    long[] buckets = new long[PAYMENT_MILLIS.length + 1];
    int failures = 0;
    for (int i = first; i < first + count; i++) {
      long ms = 1_000_000L;
      long base = Instant.now().toEpochMilli() * ms;
      long payMillis = PAYMENT_MILLIS[i % PAYMENT_MILLIS.length];
      buckets[i % PAYMENT_MILLIS.length]++;
      Span root = frontend.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER).setStartTimestamp(base, TimeUnit.NANOSECONDS).startSpan();
      Span frontendCall = frontend.spanBuilder("POST /checkout").setSpanKind(SpanKind.CLIENT)
          .setParent(Context.root().with(root)).setStartTimestamp(base + ms, TimeUnit.NANOSECONDS).startSpan();
      Span checkoutServer = checkout.spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER)
          .setParent(Context.root().with(frontendCall)).setStartTimestamp(base + 2 * ms, TimeUnit.NANOSECONDS).startSpan();
      Span checkoutCall = checkout.spanBuilder("POST /pay").setSpanKind(SpanKind.CLIENT)
          .setParent(Context.root().with(checkoutServer)).setStartTimestamp(base + 3 * ms, TimeUnit.NANOSECONDS).startSpan();
      Span pay = payment.spanBuilder("POST /pay").setSpanKind(SpanKind.SERVER)
          .setParent(Context.root().with(checkoutCall)).setStartTimestamp(base + 4 * ms, TimeUnit.NANOSECONDS).startSpan();
      if (i % 4 == 0) {
        pay.setStatus(StatusCode.ERROR, "card declined");
        failures++;
      }
      long end = base + (4 + payMillis) * ms;
      pay.end(end, TimeUnit.NANOSECONDS);
      checkoutCall.end(end + ms, TimeUnit.NANOSECONDS);
      checkoutServer.end(end + 2 * ms, TimeUnit.NANOSECONDS);
      frontendCall.end(end + 3 * ms, TimeUnit.NANOSECONDS);
      root.end(end + 4 * ms, TimeUnit.NANOSECONDS);
    }
    for (SdkTracerProvider provider : providers) {
      CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
      assertTrue(flushed.isSuccess(), "ingest accepted the SDK's exports");
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    return new Expected(count, failures, Arrays.stream(buckets).boxed().toList());
  }

  private static Tracer tracer(String service, String phase, List<SdkTracerProvider> providers) {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(stack.otlpEndpoint() + "/v1/traces")
        .setCompression("gzip")
        .addHeader("Authorization", "Bearer " + stack.ingestToken())
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(SERVICE_NAME, service, PHASE, phase)))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(64).build())
        .build();
    providers.add(provider);
    return provider.get("span-metrics-it");
  }

  private static void assertExact(String phase, Expected sent) {
    Map<String, Long> calls = new TreeMap<>();
    Map<String, Long> durationCounts = new TreeMap<>();
    long paymentErrors = 0;
    long[] paymentBuckets = new long[PAYMENT_MILLIS.length + 1];
    Map<String, Long> edges = new TreeMap<>();
    Map<String, Long> failedEdges = new TreeMap<>();
    for (ExportMetricsServiceRequest request : sink.metricRequests()) {
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        Map<String, String> resource = attributes(rm.getResource().getAttributesList());
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            if (m.getName().equals(CALLS) && phase.equals(resource.get("test.phase"))) {
              assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, m.getSum().getAggregationTemporality());
              for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                Map<String, String> a = attributes(p.getAttributesList());
                calls.merge(resource.get("service.name"), p.getAsInt(), Long::sum);
                if (a.get("service.name").equals("payment") && a.get("status.code").equals("STATUS_CODE_ERROR")) {
                  paymentErrors += p.getAsInt();
                }
              }
            } else if (m.getName().equals(DURATION) && phase.equals(resource.get("test.phase"))) {
              for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                durationCounts.merge(resource.get("service.name"), p.getCount(), Long::sum);
                if (resource.get("service.name").equals("payment")) {
                  for (int i = 0; i < paymentBuckets.length; i++) {
                    paymentBuckets[i] += p.getBucketCounts(i);
                  }
                }
              }
            } else if (m.getName().equals(EDGES) || m.getName().equals(FAILED_EDGES)) {
              for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                Map<String, String> a = attributes(p.getAttributesList());
                if (phase.equals(a.get("server_test.phase")) || phase.equals(a.get("client_test.phase"))) {
                  (m.getName().equals(EDGES) ? edges : failedEdges).merge(a.get("client") + "->" + a.get("server"), p.getAsInt(), Long::sum);
                }
              }
            }
          }
        }
      }
    }
    long n = sent.traces();
    assertEquals(Map.of("checkout", 2 * n, "frontend", 2 * n, "payment", n), calls, "calls per service: one per span sent");
    assertEquals(calls, durationCounts, "one duration per call");
    assertEquals(sent.failures(), paymentErrors, "failed payments");
    List<Long> expectedBuckets = new ArrayList<>(sent.paymentBuckets());
    assertEquals(expectedBuckets, Arrays.stream(paymentBuckets).boxed().toList(), "payment latency buckets (10ms, 100ms, 1s, +inf)");
    assertEquals(Map.of("user->frontend", n, "frontend->checkout", n, "checkout->payment", n), edges, "each edge once per call");
    assertEquals(Map.of("checkout->payment", (long) sent.failures()), failedEdges, "failed calls on the failing edge only");
    assertEquals(List.of(), sink.metrics().stream().filter(m -> m.getName().equals("traces_service_graph_unpaired_spans_total")).toList(),
        "every half found its partner");
  }

  private static Map<String, String> attributes(List<KeyValue> attributes) {
    Map<String, String> out = new TreeMap<>();
    for (KeyValue kv : attributes) {
      out.put(kv.getKey(), kv.getValue().getStringValue());
    }
    return out;
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + DRAIN + ": " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
