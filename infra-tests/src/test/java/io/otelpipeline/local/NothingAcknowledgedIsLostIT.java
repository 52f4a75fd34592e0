package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.sampling.trace.TraceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invariant 1 through the local stack, for the trace sampler: every span id the OpenTelemetry SDK
 * got acknowledged by ingest is, once the stream has drained, either at the backend or kept in a
 * failure destination, whether the backend refuses for good or is down for longer than twenty
 * retries of a batch (the event source's old retry budget).
 *
 * <p>Speed knobs, not timed assertions: the sampler runs with a 6-second timeout, so an outage is
 * many short invocations, and the breaker's cool-down is half a second.
 */
class NothingAcknowledgedIsLostIT {
  private static final Duration DRAIN = Duration.ofSeconds(90);
  private static final Duration OUTAGE = Duration.ofMinutes(3);
  /** The sampler's event source gave up after this many retries before; an outage must now outlast it harmlessly. */
  private static final int OLD_RETRY_BUDGET = 20;
  private static final String SAMPLER = "TraceSamplerFunction";
  private static final String PIPELINE_CONFIG = """
      processors:
        tail_sampling:
          decision_wait: 1s
          policies:
            - {name: all, type: always_sample}
      exporters:
        otlphttp:
          retry_on_failure: {enabled: true, initial_interval: 100ms, max_interval: 200ms, max_elapsed_time: 500ms}
      """;

  private static Path config;
  private static OtlpSink sink;
  private static LocalStack stack;

  @BeforeAll
  static void start() throws IOException {
    config = Files.createTempFile("nothing-lost-it", ".yaml");
    Files.writeString(config, PIPELINE_CONFIG);
    sink = OtlpSink.start();
    stack = LocalStack.start(LocalStackOptions.defaults()
        .env("EXPORT_OTLP_ENDPOINT", sink.endpoint())
        .env("PIPELINE_CONFIG", config.toString())
        .env("EXPORT_BREAKER_FAILURES", "1")
        .env("EXPORT_BREAKER_COOLDOWN", "500ms")
        .parameter("SamplerBatchingWindowSeconds", "1")
        .parameter("SpanMetricsBatchingWindowSeconds", "1")
        .timeout(SAMPLER, Duration.ofSeconds(6))
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
  void aBackendThatRefusesForGoodLeavesEveryAcknowledgedSpanInTheFailureDestinationUnderItsOwnName() {
    sink.respondWith(400);
    Set<String> acknowledged = new HashSet<>(send("refused-first", 20));
    Await.until("the first refusal is kept", DRAIN, NothingAcknowledgedIsLostIT::samplerRefusalFiles, files -> !files.isEmpty());
    acknowledged.addAll(send("refused-second", 20));

    Set<String> kept = Await.until("every acknowledged span is kept in the sampler's failure files", DRAIN,
        NothingAcknowledgedIsLostIT::samplerFailureSpanIds, ids -> ids.containsAll(acknowledged));

    assertTrue(kept.containsAll(acknowledged), "missing: " + missing(acknowledged, kept));
    List<Path> refusals = samplerRefusalFiles();
    assertTrue(refusals.size() > 1, "the two requests' traces were refused in separate exports, each kept: " + refusals);
    for (Path refusal : refusals) {
      String reason = reason(refusal);
      assertTrue(reason.contains("HTTP 400"), refusal + ": " + reason);
    }
  }

  @Test
  void anOutageLongerThanTheOldRetryBudgetLosesNothingAndDrainsOnceTheBackendIsBack() {
    sink.respondWith(503);
    Set<String> acknowledged = send("outage", 40);

    Await.until("the sampler's event source retries a batch more than " + OLD_RETRY_BUDGET + " times", OUTAGE,
        () -> stack.mostRetries(SAMPLER), retries -> retries > OLD_RETRY_BUDGET);
    assertEquals(0, eventSourceFailureFiles().size(), "nothing went to the OnFailure destination during the outage");
    sink.respondWith(200);

    Set<String> delivered = Await.until("every acknowledged span reaches the backend after the outage", DRAIN,
        NothingAcknowledgedIsLostIT::deliveredSpanIds, ids -> ids.containsAll(acknowledged));
    assertTrue(delivered.containsAll(acknowledged), "missing: " + missing(acknowledged, delivered));
    assertEquals(0, eventSourceFailureFiles().size(), "nothing went to the OnFailure destination");
  }

  /** Sends {@code traces} traces of two spans through the SDK, a request per span; returns the span ids ingest acknowledged. */
  static Set<String> send(String service, int traces) {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    SpanExporter exporter = new Acknowledging(OtlpHttpSpanExporter.builder()
        .setEndpoint(stack.otlpEndpoint() + "/v1/traces")
        .addHeader("Authorization", "Bearer " + stack.ingestToken())
        .build(), acknowledged);
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build()) {
      Tracer tracer = provider.get("nothing-lost-it");
      for (int i = 0; i < traces; i++) {
        Span root = tracer.spanBuilder("request-" + i).startSpan();
        tracer.spanBuilder("child-" + i).setParent(io.opentelemetry.context.Context.current().with(root)).startSpan().end();
        root.end();
      }
      provider.forceFlush().join(30, TimeUnit.SECONDS);
    }
    assertEquals(2 * traces, acknowledged.size(), "ingest acknowledged every span");
    return acknowledged;
  }

  /** Passes spans on and notes the ids of those the receiver answered with success. */
  private record Acknowledging(SpanExporter delegate, Set<String> acknowledged) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode result = delegate.export(spans);
      result.join(30, TimeUnit.SECONDS);
      if (result.isSuccess()) {
        spans.forEach(s -> acknowledged.add(s.getSpanId()));
      }
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }

  static Set<String> deliveredSpanIds() {
    Set<String> ids = new HashSet<>();
    sink.spans().forEach(s -> ids.add(TraceId.hex(s.getSpanId())));
    return ids;
  }

  /** Span ids in what the sampler sent to its failure destination and in what its event source discarded. */
  static Set<String> samplerFailureSpanIds() {
    Set<String> ids = new HashSet<>();
    for (Path file : samplerRefusalFiles()) {
      ids.addAll(spanIds(file));
    }
    for (Path file : eventSourceFailureFiles()) {
      ids.addAll(spanIds(file));
    }
    return ids;
  }

  static List<Path> samplerRefusalFiles() {
    return files(stack.failureDirectory(), 1, p -> p.getFileName().toString().startsWith("trace-sampler.refused-export.")
        && p.toString().endsWith(".bin"));
  }

  static List<Path> eventSourceFailureFiles() {
    return files(stack.failureDirectory().resolve("event-source").resolve(SAMPLER), 4, p -> p.toString().endsWith(".data"));
  }

  private static List<Path> files(Path folder, int depth, java.util.function.Predicate<Path> which) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(folder, depth)) {
      return walk.filter(Files::isRegularFile).filter(which).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> spanIds(Path envelopeFile) {
    try {
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(RecordEnvelope.parse(Files.readAllBytes(envelopeFile)).otlpRequest());
      Set<String> ids = new HashSet<>();
      request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> ids.add(TraceId.hex(s.getSpanId())))));
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(envelopeFile + ": " + e.getMessage(), e);
    }
  }

  private static String reason(Path bin) {
    try {
      return new ObjectMapper().readTree(Path.of(bin.toString().replaceAll("\\.bin$", ".json")).toFile()).get("reason").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> missing(Set<String> expected, Set<String> seen) {
    Set<String> out = new TreeSet<>(expected);
    out.removeAll(seen);
    return out;
  }
}
