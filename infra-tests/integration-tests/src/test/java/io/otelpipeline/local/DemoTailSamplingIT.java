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
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry Demo's pattern through the local stack at the template's batching windows and
 * ParallelizationFactor: three services, each with its own SDK and OTLP exporter, so the spans of
 * one trace reach ingest in three requests; the children (checkout, payment) as soon as they end,
 * the root (frontend) {@link #ROOT_AFTER} later. Two trace shards, {@code decision_wait: 3s},
 * policies status_code ERROR, latency and probabilistic, as in the Collector's examples. Every span
 * of a trace reaches its shard within decision_wait of its first span, so the Collector would
 * decide every trace whole: so must the pipeline. At the backend: every error and slow trace kept,
 * every kept trace whole, no span twice.
 */
class DemoTailSamplingIT {
  private static final int TRACES = 600;
  private static final Duration BETWEEN_TRACES = Duration.ofMillis(50);
  private static final Duration ROOT_AFTER = Duration.ofMillis(1500);
  private static final Duration DECISION_WAIT = Duration.ofSeconds(3);
  private static final double PERCENT = 20;
  private static final Duration DRAIN = Duration.ofSeconds(120);
  private static final String PIPELINE_CONFIG = """
      processors:
        tail_sampling:
          decision_wait: %ds
          policies:
            - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
            - {name: slow, type: latency, latency: {threshold_ms: 1000}}
            - {name: some, type: probabilistic, probabilistic: {sampling_percentage: %s}}
      """.formatted(DECISION_WAIT.toSeconds(), PERCENT);

  private static Path config;
  private static OtlpSink sink;
  private static LocalStack stack;

  @BeforeAll
  static void start() throws IOException {
    config = Files.createTempFile("demo-tail-sampling-it", ".yaml");
    Files.writeString(config, PIPELINE_CONFIG);
    sink = OtlpSink.start();
    // the template's parameters as they are; no schedules, so nothing depends on when a minute turns
    stack = LocalStack.start(LocalStackOptions.defaults()
        .env("EXPORT_OTLP_ENDPOINT", sink.endpoint())
        .env("PIPELINE_CONFIG", config.toString())
        .shardCount("TracesStream", 2)
        .schedules(false));
  }

  @AfterAll
  static void stop() throws IOException {
    if (stack != null) {
      stack.close();
    }
    if (sink != null) {
      sink.close();
    }
    if (config != null) {
      Files.deleteIfExists(config);
    }
  }

  /** What the test sent: every span id by trace, and which traces must be kept. */
  private record Sent(Map<String, Set<String>> spansByTrace, Set<String> errors, Set<String> slow) {}

  /** A root waiting to end: its span, when it ends in the trace, and when the test ends it. */
  private record OpenRoot(Span span, Instant endTimestamp, long endAtNanos) {}

  @Test
  void everyErrorTraceIsKeptWholeAndNoKeptTraceIsPartial() {
    Map<String, SdkTracerProvider> providers = providers(List.of("frontend", "checkout", "payment"));
    Sent sent = new Sent(new HashMap<>(), new HashSet<>(), new HashSet<>());
    try {
      Tracer frontend = providers.get("frontend").get("demo");
      Tracer checkout = providers.get("checkout").get("demo");
      Tracer payment = providers.get("payment").get("demo");
      Deque<OpenRoot> open = new ArrayDeque<>();
      long next = System.nanoTime();
      for (int t = 0; t < TRACES || !open.isEmpty(); t++) {
        endDueRoots(open);
        if (t < TRACES) {
          boolean error = t % 10 == 3;
          boolean slow = t % 20 == 0;
          Instant begin = Instant.now();
          Span root = frontend.spanBuilder("POST /api/checkout").setSpanKind(SpanKind.SERVER).setStartTimestamp(begin).startSpan();
          Span placeOrder = checkout.spanBuilder("oteldemo.CheckoutService/PlaceOrder").setSpanKind(SpanKind.SERVER)
              .setParent(Context.root().with(root)).setStartTimestamp(begin.plusMillis(2)).startSpan();
          Span charge = payment.spanBuilder("oteldemo.PaymentService/Charge").setSpanKind(SpanKind.SERVER)
              .setParent(Context.root().with(placeOrder)).setStartTimestamp(begin.plusMillis(4)).startSpan();
          if (error) {
            charge.setStatus(StatusCode.ERROR, "Payment request failed. Invalid token.");
          }
          charge.end(begin.plusMillis(9));
          placeOrder.end(begin.plusMillis(12));
          open.addLast(new OpenRoot(root, begin.plusMillis(slow ? 1200 : 20 + t % 150), System.nanoTime() + ROOT_AFTER.toNanos()));
          String traceId = root.getSpanContext().getTraceId();
          sent.spansByTrace().put(traceId, Set.of(root.getSpanContext().getSpanId(), placeOrder.getSpanContext().getSpanId(),
              charge.getSpanContext().getSpanId()));
          if (error) {
            sent.errors().add(traceId);
          }
          if (slow) {
            sent.slow().add(traceId);
          }
        }
        next += BETWEEN_TRACES.toNanos();
        pause(Duration.ofNanos(next - System.nanoTime()));
      }
      providers.values().forEach(DemoTailSamplingIT::flush);
    } finally {
      providers.values().forEach(p -> p.shutdown().join(10, TimeUnit.SECONDS));
    }
    // no scheduled tick: once the traffic stops, only the sampler's ticks of its own shards move
    // their time on, so the last traces are decided about decision_wait plus a batching window after
    stack.awaitDrained(DRAIN);
    Await.until("every trace decided, by traffic or by the sampler's own ticks", DRAIN,
        () -> { stack.awaitDrained(DRAIN); return new SamplerStates(stack).waiting(); }, waiting -> waiting == 0);
    assertKeptWhole(sent);
  }

  /** Each service its own SDK: a resource, a batch processor exporting every 200 ms, an OTLP/HTTP exporter. */
  private static Map<String, SdkTracerProvider> providers(List<String> services) {
    Map<String, SdkTracerProvider> providers = new LinkedHashMap<>();
    for (String service : services) {
      OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
          .setEndpoint(stack.otlpEndpoint() + "/v1/traces")
          .addHeader("Authorization", "Bearer " + stack.ingestToken())
          .build();
      providers.put(service, SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
          .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofMillis(200)).setMaxQueueSize(4 * TRACES).build())
          .build());
    }
    return providers;
  }

  private static void endDueRoots(Deque<OpenRoot> open) {
    while (!open.isEmpty() && open.peekFirst().endAtNanos() - System.nanoTime() <= 0) {
      OpenRoot root = open.pollFirst();
      root.span().end(root.endTimestamp());
    }
  }

  private static void assertKeptWhole(Sent sent) {
    Map<String, Set<String>> received = new HashMap<>();
    for (io.opentelemetry.proto.trace.v1.Span s : sink.spans()) {
      String traceId = HexFormat.of().formatHex(s.getTraceId().toByteArray());
      String spanId = HexFormat.of().formatHex(s.getSpanId().toByteArray());
      assertTrue(received.computeIfAbsent(traceId, k -> new HashSet<>()).add(spanId),
          "span " + s.getName() + " " + spanId + " of trace " + traceId + " exported twice");
    }
    Map<String, String> partial = new TreeMap<>();
    received.forEach((trace, spans) -> {
      if (!spans.equals(sent.spansByTrace().get(trace))) {
        partial.put(trace, spans.size() + " of " + sent.spansByTrace().get(trace).size() + " spans");
      }
    });
    assertEquals(Map.of(), partial, "kept traces that arrived partial");
    assertEquals(Set.of(), missing(sent.errors(), received.keySet()), "error traces not kept (of " + sent.errors().size() + ")");
    assertEquals(Set.of(), missing(sent.slow(), received.keySet()), "slow traces not kept (of " + sent.slow().size() + ")");
    Set<String> chosen = new HashSet<>(sent.errors());
    chosen.addAll(sent.slow());
    int rest = TRACES - chosen.size();
    long keptRest = received.keySet().stream().filter(t -> !chosen.contains(t)).count();
    double p = PERCENT / 100;
    assertEquals(rest * p, keptRest, 5 * Math.sqrt(rest * p * (1 - p)), "probabilistic share of the " + rest + " other traces");
  }

  private static Set<String> missing(Set<String> expected, Set<String> received) {
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(received);
    return missing;
  }

  private static void flush(SdkTracerProvider provider) {
    CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
    assertTrue(flushed.isSuccess(), "the SDK's export was answered with success");
  }

  private static void pause(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
