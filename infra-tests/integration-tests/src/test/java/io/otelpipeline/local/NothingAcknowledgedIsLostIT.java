package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import software.amazon.awssdk.core.SdkBytes;

/**
 * Invariant 1 through the local stack, for the trace sampler: every span id the OpenTelemetry SDK
 * got acknowledged by ingest is, once the stream has drained, either at the backend or kept in a
 * failure destination, whether the backend refuses for good or is down for longer than twenty
 * retries of a batch (the event source's old retry budget). Ingest refuses, by span id, spans a
 * consumer could not decode (invalid UTF-8, a truncated KeyValue, attributes nested 150 deep) and
 * the good spans of the same requests are delivered; a record holding such a span that reaches
 * the stream anyway costs only that span.
 *
 * <p>Speed knobs, not timed assertions: the sampler runs with a 6-second timeout, so an outage is
 * many short invocations, the breaker's cool-down is half a second, and the tick function runs
 * every second rather than every minute, so the last spans sent are decided soon after.
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
  private static Ticker ticker;

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
    ticker = Ticker.every(stack, Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() throws IOException {
    if (ticker != null) {
      ticker.close();
    }
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
    assertTrue(stack.status().failedRecords() >= refusals.size(), "the status page counts the failure files: " + stack.status().failedRecords());
  }

  @Test
  void anOutageLongerThanTheOldRetryBudgetLosesNothingAndDrainsOnceTheBackendIsBack() {
    sink.respondWith(503);
    Set<String> acknowledged = send("outage", 40);

    // The outage outlasts the old budget of 20 retries, whichever way the sampler retries: its event
    // source retrying the batch, or ticks finding the parked traces due again. Either way the
    // backend refuses more than 20 of its exports.
    Await.until("the sampler's exports are refused more than " + OLD_RETRY_BUDGET + " times", OUTAGE,
        () -> Math.max(stack.mostRetries(SAMPLER), sink.refusedTraceRequests()), refused -> refused > OLD_RETRY_BUDGET);
    assertEquals(0, eventSourceFailureFiles().size(), "nothing went to the OnFailure destination during the outage");
    sink.respondWith(200);

    Set<String> delivered = Await.until("every acknowledged span reaches the backend after the outage", DRAIN,
        NothingAcknowledgedIsLostIT::deliveredSpanIds, ids -> ids.containsAll(acknowledged));
    assertTrue(delivered.containsAll(acknowledged), "missing: " + missing(acknowledged, delivered));
    assertEquals(0, eventSourceFailureFiles().size(), "nothing went to the OnFailure destination");
    Await.until("the status page's exported spans are the backend's, not ingest's writes to the stream", DRAIN,
        () -> stack.status().exported().get("traces").ok(), exported -> exported == sink.spans().size());
  }

  @Test
  void ingestRefusesUndecodableSpansByNameAndEveryGoodSpanBesideThemIsDelivered() throws Exception {
    Set<String> acknowledged = new HashSet<>();
    Set<String> refused = new HashSet<>();
    int n = 0;
    for (String bad : List.of("name", "attribute key", "truncated key value", "nested 150 deep")) {
      Span good1 = rawSpan(++n, "good");
      Span badSpan = badSpan(++n, bad);
      Span good2 = rawSpan(++n, "good");
      byte[] request = undecodable(ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(resourceSpans("bad-neighbours", good1, badSpan, good2)).build().toByteArray());
      assertThrows(InvalidProtocolBufferException.class, () -> ExportTraceServiceRequest.parseFrom(request), bad + ": a parser refuses the request");

      HttpResponse<byte[]> response = post(request);
      assertEquals(200, response.statusCode(), bad);
      ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
      assertEquals(1, answer.getPartialSuccess().getRejectedSpans(), bad + ": " + answer);
      String badId = TraceId.hex(badSpan.getSpanId());
      assertTrue(answer.getPartialSuccess().getErrorMessage().contains("span " + badId), bad + ": the refusal names the span: " + answer);
      refused.add(badId);
      acknowledged.add(TraceId.hex(good1.getSpanId()));
      acknowledged.add(TraceId.hex(good2.getSpanId()));
    }

    Set<String> delivered = Await.until("every acknowledged span beside a refused one reaches the backend", DRAIN,
        NothingAcknowledgedIsLostIT::deliveredSpanIds, ids -> ids.containsAll(acknowledged));
    assertTrue(delivered.containsAll(acknowledged), "missing: " + missing(acknowledged, delivered));
    for (String id : refused) {
      assertTrue(!delivered.contains(id), id + " was refused, not delivered");
    }
  }

  @Test
  void aConsumerDeliversTheGoodSpansOfARecordAndKeepsOnlyTheUndecodableOne() {
    Span good1 = rawSpan(101, "good");
    Span badSpan = badSpan(102, "name");
    Span good2 = rawSpan(103, "good");
    byte[] otlp = undecodable(ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(resourceSpans("written-past-ingest", good1, badSpan, good2)).build().toByteArray());
    String stream = stack.physicalName("TracesStream");
    stack.kinesis().putRecord(b -> b.streamName(stream).partitionKey(TraceId.hex(good1.getTraceId()))
        .data(SdkBytes.fromByteArray(RecordEnvelope.wrap(Signal.TRACES, Compression.ZSTD, 3, otlp).toBytes())));

    Set<String> good = Set.of(TraceId.hex(good1.getSpanId()), TraceId.hex(good2.getSpanId()));
    Await.until("the record's good spans reach the backend", DRAIN, NothingAcknowledgedIsLostIT::deliveredSpanIds, ids -> ids.containsAll(good));
    String badId = TraceId.hex(badSpan.getSpanId());
    String reason = Await.until("the sampler keeps the undecodable span in its failure files", DRAIN,
        () -> reasons(p -> p.getFileName().toString().startsWith(stream + ".")).stream()
            .filter(r -> r.startsWith("trace-sampler record ") && r.contains("span " + badId)).findFirst().orElse(""),
        r -> !r.isEmpty());
    assertTrue(reason.contains("1 of its spans cannot be decoded and are kept here, the other 2 were handled"), reason);
    assertTrue(!deliveredSpanIds().contains(badId));
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
        io.opentelemetry.api.trace.Span root = tracer.spanBuilder("request-" + i).startSpan();
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

  private static final String MARK = "\u0001MARK\u0001";
  private static final byte[] INVALID_UTF8 = {(byte) 0xC3, 0x28, (byte) 0xE2, (byte) 0x82, 0x41, 0x41};
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Span rawSpan(int n, String name) {
    byte[] trace = new byte[16];
    trace[0] = 0x3c;
    trace[15] = (byte) n;
    long now = System.currentTimeMillis() * 1_000_000L;
    return Span.newBuilder().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(new byte[] {0x3c, 0, 0, 0, 0, 0, 1, (byte) n}))
        .setName(name + "-" + n).setStartTimeUnixNano(now).setEndTimeUnixNano(now + 1_000_000).build();
  }

  /** A span a protobuf parser refuses once {@link #undecodable} has replaced the marker. */
  private static Span badSpan(int n, String how) {
    Span.Builder b = rawSpan(n, "bad").toBuilder();
    switch (how) {
      case "name" -> b.setName(MARK);
      case "attribute key" -> b.addAttributes(KeyValue.newBuilder().setKey(MARK).setValue(AnyValue.newBuilder().setStringValue("v")));
      // the KeyValue "ab" (4 bytes), whose key undecodable() makes claim 5
      case "truncated key value" -> b.addAttributes(KeyValue.newBuilder().setKey("ab"));
      case "nested 150 deep" -> {
        AnyValue value = AnyValue.newBuilder().setStringValue("leaf").build();
        for (int i = 0; i < 50; i++) {
          value = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(KeyValue.newBuilder().setKey("k").setValue(value))).build();
        }
        b.addAttributes(KeyValue.newBuilder().setKey("deep").setValue(value));
      }
      default -> throw new IllegalArgumentException(how);
    }
    return b.build();
  }

  private static ResourceSpans resourceSpans(String service, Span... spans) {
    return ResourceSpans.newBuilder()
        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
            .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))
        .build();
  }

  /** Puts invalid UTF-8 where the marker is, or truncates the KeyValue "ab"; requests without either are returned as they are. */
  private static byte[] undecodable(byte[] request) {
    byte[] mark = MARK.getBytes(StandardCharsets.UTF_8);
    byte[] keyValue = {0x4A, 0x04, 0x0A, 0x02, 'a', 'b'};
    for (int i = 0; i < request.length; i++) {
      if (i + mark.length <= request.length && java.util.Arrays.equals(request, i, i + mark.length, mark, 0, mark.length)) {
        System.arraycopy(INVALID_UTF8, 0, request, i, INVALID_UTF8.length);
        return request;
      }
      if (i + keyValue.length <= request.length && java.util.Arrays.equals(request, i, i + keyValue.length, keyValue, 0, keyValue.length)) {
        request[i + 3] = 0x05;
        return request;
      }
    }
    return request;
  }

  private static HttpResponse<byte[]> post(byte[] request) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(stack.otlpEndpoint() + "/v1/traces"))
        .header("Authorization", "Bearer " + stack.ingestToken())
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The reasons of the function failure files whose name matches. */
  private static List<String> reasons(java.util.function.Predicate<Path> which) {
    return files(stack.failureDirectory(), 1, p -> which.test(p) && p.toString().endsWith(".bin")).stream()
        .map(NothingAcknowledgedIsLostIT::reason).toList();
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
