package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Tail sampling end to end: traces over three services exported by the OpenTelemetry SDK, one
 * request per service about a second apart, so a trace's spans arrive in different batches and
 * are parked before it is decided; half the traces are decided by the consumer when the other half
 * arrives, the other half once a tick moves the idle shards on; then a late span per trace after the decisions. At the
 * test backend, once the pipeline has drained: every kept trace whole, late span included; no
 * span of a dropped trace; no span twice; every error and slow trace kept; the probabilistic share
 * of the others within five standard deviations. The same holds when the traces stream is
 * resharded between the requests (a trace's spans on a parent shard and on its children) and when
 * the backend refuses the sampler's exports for a while (the batch fails and is retried).
 *
 * <p>One stack for the class; each test checks only the traces it made.
 */
class TailSamplingIT {
  private static final int TRACES = 300;
  private static final double PERCENT = 20;
  private static final long SLOW_MILLIS = 1500;
  /**
   * Short, so the test waits seconds for decisions rather than the Collector's 30, and well over
   * the time the three requests of a wave take, so that no span of the test is late by accident.
   */
  private static final Duration DECISION_WAIT = Duration.ofSeconds(10);
  /** Between the services' export requests, longer than the batching window, so a trace's spans arrive in different batches. */
  private static final Duration BETWEEN_REQUESTS = Duration.ofMillis(1200);
  private static final Duration DRAIN = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> SERVICES = List.of("frontend", "cart", "checkout");
  private static final Set<String> POLICIES = Set.of("errors", "slow", "some");
  private static final String POLICY_ATTRIBUTE = "tailsampling.policy";
  private static final String PIPELINE_CONFIG = """
      processors:
        tail_sampling:
          decision_wait: %ds
          policies:
            - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
            - {name: slow, type: latency, latency: {threshold_ms: 1000}}
            - {name: some, type: probabilistic, probabilistic: {sampling_percentage: %s}}
      exporters:
        otlphttp:
          retry_on_failure: {enabled: true, initial_interval: 100ms, max_interval: 300ms, max_elapsed_time: 1s}
      """.formatted(DECISION_WAIT.toSeconds(), PERCENT);

  private static Path config;
  private static OtlpSink sink;
  private static LocalStack stack;

  @BeforeAll
  static void start() throws IOException {
    config = Files.createTempFile("tail-sampling-it", ".yaml");
    Files.writeString(config, PIPELINE_CONFIG);
    sink = OtlpSink.start();
    // Batching windows of a second (the template's defaults are 30 s and 10 s) so that batches
    // close while the test waits for decisions; the tick is fired by the test.
    stack = LocalStack.start(LocalStackOptions.defaults()
        .env("EXPORT_OTLP_ENDPOINT", sink.endpoint())
        .env("PIPELINE_CONFIG", config.toString())
        .env("EXPORT_BREAKER_FAILURES", "3")
        .env("EXPORT_BREAKER_COOLDOWN", "1s")
        .env("TAIL_SAMPLING_RECORD_POLICY", "true")
        .parameter("SamplerBatchingWindowSeconds", "1")
        .parameter("SpanMetricsBatchingWindowSeconds", "1")
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

  @AfterEach
  void backendUp() {
    sink.respondWith(200);
  }

  @Test
  void keptTracesArriveWholeAndDroppedOnesNotAtAll() {
    Sent sent = send(Interludes.NONE);
    assertTailSampled(sent);
  }

  @Test
  void tracesStayWholeWhenTheStreamIsReshardedBetweenTheirSpans() {
    String stream = stack.physicalName("TracesStream");
    int before = stack.kinesis().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().openShardCount();
    Sent sent = send(new Interludes(() -> reshard(stream, before * 2), () -> {}, () -> {}));
    assertEquals(before * 2,
        stack.kinesis().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().openShardCount(),
        "the first wave's roots went to the old shards, its other spans and the second wave to their children");
    assertTailSampled(sent);
  }

  @Test
  void aBatchWhoseExportFailsIsRetriedAndItsTracesStillArriveWholeAndOnce() {
    TelemetryTotals totals = TelemetryTotals.global();
    double failedBefore = totals.counter("otelcol_exporter_send_failed_spans");
    Sent sent = send(new Interludes(
        () -> {},
        () -> sink.respondWith(503),
        () -> {
          await("the sampler's export of the first wave fails against the refusing backend",
              () -> totals.counter("otelcol_exporter_send_failed_spans") > failedBefore);
          sink.respondWith(200);
        }));
    assertTailSampled(sent);
    // By now the functions of the traces path have emitted every metric of theirs that the
    // dashboard and the alarms read, failures included: each must match a query's dimensions.
    List<String> unmatched = DashboardQueries.of(ProjectDirectory.find())
        .unmatched(Set.of("ingest", "trace-sampler", "span-metrics"), Set.of("traces"), totals.written().keySet());
    assertEquals(List.of(), unmatched, "dashboard or alarm queries that read no metric the functions emit");
  }

  /** What happens between the export requests. */
  private record Interludes(Runnable beforeFirstCart, Runnable beforeSecondWave, Runnable afterSecondWave) {
    static final Interludes NONE = new Interludes(() -> {}, () -> {}, () -> {});
  }

  /** What the test sent: every span id by trace (late spans included), and which traces must be kept. */
  private record Sent(Map<String, Set<String>> spansByTrace, Set<String> errors, Set<String> slow) {}

  /**
   * Sends {@link #TRACES} traces in two waves, each as frontend's request, then cart's, then
   * checkout's. The second wave starts once the first is due, so the consumer's invocations that
   * take the second wave find the first wave's parked traces due and decide them; the ticks,
   * written once the stream has drained and the second wave is due, decide the second. Then a late
   * span of every trace, from cart; the stream drains again.
   */
  private Sent send(Interludes interludes) {
    Map<String, SdkTracerProvider> providers = new LinkedHashMap<>();
    for (String service : SERVICES) {
      OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
          .setEndpoint(stack.otlpEndpoint() + "/v1/traces")
          .addHeader("Authorization", "Bearer " + stack.ingestToken())
          .build();
      providers.put(service, SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
          // exported only when the test flushes, as one request per service and wave: a processor
          // exports on its own once it holds a full batch, so the batch is larger than any request
          .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofHours(1)).setMaxExportBatchSize(2 * TRACES).build())
          .build());
    }
    try {
      Tracer cart = providers.get("cart").get("tail-sampling-it");
      Sent sent = new Sent(new HashMap<>(), new HashSet<>(), new HashSet<>());
      List<SpanContext> roots = new ArrayList<>();

      Instant firstDue = wave(0, providers, sent, roots, interludes.beforeFirstCart());
      pause(Duration.between(Instant.now(), firstDue));
      interludes.beforeSecondWave().run();
      Instant secondDue = wave(TRACES / 2, providers, sent, roots, () -> {});
      interludes.afterSecondWave().run();
      stack.awaitDrained(DRAIN);
      pause(Duration.between(Instant.now(), secondDue));
      stack.fireSchedule("TraceTickFunction");
      stack.awaitDrained(DRAIN);
      assertEquals(0, new SamplerStates(stack).waiting(), "every trace decided once its shard is read past decision_wait, by traffic or by a tick");

      for (SpanContext root : roots) {
        Span late = cart.spanBuilder("late retry").setParent(Context.root().with(Span.wrap(root))).startSpan();
        late.end();
        sent.spansByTrace().get(root.getTraceId()).add(late.getSpanContext().getSpanId());
      }
      flush(providers.get("cart"));
      stack.awaitDrained(DRAIN);
      assertEquals(0, new SamplerStates(stack).waiting(), "late spans follow the decision at once, never wait");
      return sent;
    } finally {
      providers.values().forEach(p -> p.shutdown().join(10, TimeUnit.SECONDS));
    }
  }

  /**
   * Half of the traces, their spans in three requests {@link #BETWEEN_REQUESTS} apart; returns
   * when they are all due: decision_wait after the first request was answered, since a trace's
   * first span was in the stream by then.
   */
  private static Instant wave(int first, Map<String, SdkTracerProvider> providers, Sent sent, List<SpanContext> roots,
      Runnable beforeCart) {
    Tracer frontend = providers.get("frontend").get("tail-sampling-it");
    Tracer cart = providers.get("cart").get("tail-sampling-it");
    Tracer checkout = providers.get("checkout").get("tail-sampling-it");
    Instant start = Instant.now().minusSeconds(60);
    for (int t = first; t < first + TRACES / 2; t++) {
      boolean isSlow = t % 20 == 0;
      boolean isError = t % 25 == 7;
      Instant begin = start.plusMillis(t * 10L);
      Span root = frontend.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER).setStartTimestamp(begin).startSpan();
      Context parent = Context.root().with(root);
      Span lookup = cart.spanBuilder("cart lookup").setParent(parent).setStartTimestamp(begin.plusMillis(2)).startSpan();
      lookup.end(begin.plusMillis(5));
      Span charge = checkout.spanBuilder("charge").setParent(parent).setStartTimestamp(begin.plusMillis(6)).startSpan();
      if (isError) {
        charge.setStatus(StatusCode.ERROR, "card declined");
      }
      charge.end(begin.plusMillis(9));
      root.end(begin.plusMillis(isSlow ? SLOW_MILLIS : 20 + t % 150));
      String traceId = root.getSpanContext().getTraceId();
      sent.spansByTrace().put(traceId, new HashSet<>(List.of(root.getSpanContext().getSpanId(), lookup.getSpanContext().getSpanId(),
          charge.getSpanContext().getSpanId())));
      if (isError) {
        sent.errors().add(traceId);
      }
      if (isSlow) {
        sent.slow().add(traceId);
      }
      roots.add(root.getSpanContext());
    }
    Instant sending = Instant.now();
    flush(providers.get("frontend"));
    Instant due = Instant.now().plus(DECISION_WAIT);
    beforeCart.run();
    pause(BETWEEN_REQUESTS);
    flush(providers.get("cart"));
    pause(BETWEEN_REQUESTS);
    flush(providers.get("checkout"));
    Duration spread = Duration.between(sending, Instant.now());
    // the traces are decided decision_wait after their first span: spans sent later would be late
    assertTrue(spread.compareTo(DECISION_WAIT) < 0,
        "the three requests took " + spread + ", not less than decision_wait (" + DECISION_WAIT + "): the machine is too busy for this test");
    return due;
  }

  private void assertTailSampled(Sent sent) {
    Map<String, Set<String>> received = new HashMap<>();
    int spansReceived = 0;
    List<io.opentelemetry.proto.trace.v1.ScopeSpans> scopes = sink.traceRequests().stream()
        .flatMap(r -> r.getResourceSpansList().stream()).flatMap(rs -> rs.getScopeSpansList().stream()).toList();
    for (io.opentelemetry.proto.trace.v1.ScopeSpans scope : scopes) {
      // recorded on the scope, as the Collector's recordpolicy gate does (TAIL_SAMPLING_RECORD_POLICY=true)
      String policy = attribute(scope.getScope().getAttributesList(), POLICY_ATTRIBUTE);
      for (io.opentelemetry.proto.trace.v1.Span s : scope.getSpansList()) {
        String traceId = HexFormat.of().formatHex(s.getTraceId().toByteArray());
        if (!sent.spansByTrace().containsKey(traceId)) {
          continue;
        }
        String spanId = HexFormat.of().formatHex(s.getSpanId().toByteArray());
        assertTrue(received.computeIfAbsent(traceId, k -> new HashSet<>()).add(spanId),
            "span " + s.getName() + " " + spanId + " of trace " + traceId + " exported twice");
        assertTrue(POLICIES.contains(policy), "span " + spanId + " of trace " + traceId + " names its deciding policy, not '" + policy + "'");
        if (policy.equals("some")) {
          assertTrue(s.getTraceState().startsWith("ot=th:"), "a probabilistic keep carries its threshold: '" + s.getTraceState() + "'");
        }
        spansReceived++;
      }
    }
    received.forEach((trace, spans) ->
        assertEquals(sent.spansByTrace().get(trace), spans, "trace " + trace + " arrived whole, late span included"));
    assertEquals(Map.of(), decisionsOfMissing(sent.errors(), received.keySet()), "every error trace kept");
    assertEquals(Map.of(), decisionsOfMissing(sent.slow(), received.keySet()), "every slow trace kept");
    Set<String> chosen = new HashSet<>(sent.errors());
    chosen.addAll(sent.slow());
    int rest = TRACES - chosen.size();
    long keptRest = received.keySet().stream().filter(t -> !chosen.contains(t)).count();
    double p = PERCENT / 100;
    assertEquals(rest * p, keptRest, 5 * Math.sqrt(rest * p * (1 - p)),
        "probabilistic share of the " + rest + " other traces (" + spansReceived + " spans received)");
    assertNoFailures();
  }

  /** The remembered decision (policy, keep) of each expected trace that did not arrive. */
  private static Map<String, String> decisionsOfMissing(Set<String> expected, Set<String> received) {
    Map<String, String> missing = new TreeMap<>();
    SamplerStates states = new SamplerStates(stack);
    for (String trace : expected) {
      if (!received.contains(trace)) {
        missing.put(trace, states.describe(trace));
      }
    }
    return missing;
  }

  private static void assertNoFailures() {
    Path failures = stack.failureDirectory();
    try (Stream<Path> files = Files.exists(failures) ? Files.walk(failures) : Stream.empty()) {
      assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "no record or span went to the failure destination");
    } catch (IOException e) {
      throw new AssertionError("cannot list " + failures + ": " + e.getMessage(), e);
    }
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().getStringValue();
      }
    }
    return "";
  }

  private static void reshard(String stream, int shards) {
    stack.kinesis().updateShardCount(b -> b.streamName(stream).targetShardCount(shards).scalingType(ScalingType.UNIFORM_SCALING));
    await("the traces stream is ACTIVE with " + shards + " shards",
        () -> stack.kinesis().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
  }

  private static void flush(SdkTracerProvider provider) {
    CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
    assertTrue(flushed.isSuccess(), "the SDK's export was answered with success");
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      pause(Duration.ofMillis(50));
    }
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
