package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;

/**
 * Metrics and logs from the OpenTelemetry SDK's OTLP/HTTP exporters, through ingest, the streams
 * and the forwarder, to a test OTLP backend: every data point and log record arrives exactly once,
 * across a backend outage too, and an undecodable record goes to the failure folder without
 * holding up the records behind it.
 *
 * <p>Data points are identified by service, metric name, attributes and timestamp; log records by
 * body and timestamp. Each test tags its data with its own phase so the tests share one stack.
 */
class ForwarderIT {
  private static final Duration DRAIN = Duration.ofSeconds(90);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> SERVICES = List.of("checkout", "cart", "payments");
  private static final AttributeKey<String> PHASE = AttributeKey.stringKey("test.phase");
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  /** The forwarder's breaker gauge: 0 closed, 1 open. */
  private static final String BREAKER_STATE = "otelcol_exporter_circuit_state{exporter=otlphttp,function=forwarder}";

  /**
   * Collector-format retry settings short enough that an outage shows within seconds: an export
   * gives up after two seconds of retries and the batch goes back to the stream.
   */
  private static final String PIPELINE_CONFIG = """
      exporters:
        otlphttp:
          retry_on_failure:
            enabled: true
            initial_interval: 100ms
            max_interval: 500ms
            max_elapsed_time: 2s
      """;

  private static Path config;
  private static OtlpSink sink;
  private static LocalStack stack;

  @BeforeAll
  static void start() throws IOException {
    config = Files.createTempFile("forwarder-it-pipeline", ".yaml");
    Files.writeString(config, PIPELINE_CONFIG);
    sink = OtlpSink.start();
    stack = LocalStack.start(LocalStackOptions.defaults()
        .env("EXPORT_OTLP_ENDPOINT", sink.endpoint())
        .env("PIPELINE_CONFIG", config.toString())
        .env("EXPORT_BREAKER_FAILURES", "3")
        .env("EXPORT_BREAKER_COOLDOWN", "1s")
        .shardCount("MetricsStream", 2)
        .shardCount("LogsStream", 2)
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
  void everyPointAndLogRecordArrivesOnceAndUndecodableRecordsGoRawToTheFailureFolder() throws IOException {
    String stream = stack.physicalName("MetricsStream");
    byte[] garbage = "not an envelope: metrics from a misconfigured writer".getBytes(StandardCharsets.UTF_8);
    byte[] corrupt = RecordEnvelope.wrap(Signal.METRICS, Compression.GZIP, 1, new byte[] {1, 2, 3}).toBytes();
    corrupt = Arrays.copyOf(corrupt, corrupt.length - 6);
    String key = "bad-records-then-a-good-one";
    String garbageSequence = put(stream, key, garbage);
    String corruptSequence = put(stream, key, corrupt);
    long behindTime = Instant.now().toEpochMilli() * 1_000_000L;
    put(stream, key, RecordEnvelope.wrap(Signal.METRICS, Compression.GZIP, 1, behindBadRecords(behindTime).toByteArray()).toBytes());
    List<String> points = new ArrayList<>(sendMetrics("steady"));
    List<SentLog> logs = sendLogs("steady");

    stack.awaitDrained(DRAIN);

    points.add(pointId("forwarder-it", "records.behind.bad.ones", Map.of("test.phase", "steady"), behindTime));
    assertExactlyOnce(points, received(pointIds(sink.metricRequests()), "steady"));
    assertExactlyOnce(logs.stream().map(SentLog::id).toList(), received(logIds(sink.logs()), "steady"));
    assertTraceContextKept(logs);
    assertFailureRecord(stream, garbageSequence, garbage, "record does not start with the envelope magic byte");
    assertFailureRecord(stream, corruptSequence, corrupt, "gzip payload is corrupt");
    Path eventSourceFailures = stack.failureDirectory().resolve("event-source");
    try (Stream<Path> files = Files.exists(eventSourceFailures) ? Files.walk(eventSourceFailures) : Stream.empty()) {
      assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "no batch was given up by the event source");
    }
  }

  @Test
  void nothingIsLostOrDuplicatedWhileTheBackendIsDown() {
    TelemetryTotals totals = TelemetryTotals.global();
    double failedPointsBefore = totals.counter("otelcol_exporter_send_failed_metric_points");
    double failedLogsBefore = totals.counter("otelcol_exporter_send_failed_log_records");
    int requestsBefore = sink.requestCount();
    sink.respondWith(503);

    List<String> points = sendMetrics("outage");
    List<SentLog> logs = sendLogs("outage");

    await("the forwarder gives up on exports to the failing backend, for metrics and for logs, and its circuit breaker opens",
        () -> totals.counter("otelcol_exporter_send_failed_metric_points") > failedPointsBefore
            && totals.counter("otelcol_exporter_send_failed_log_records") > failedLogsBefore
            && Double.valueOf(1).equals(totals.written().get(BREAKER_STATE)));
    assertTrue(sink.requestCount() > requestsBefore, "the backend was called during the outage");
    assertEquals(List.of(), received(pointIds(sink.metricRequests()), "outage"), "nothing is accepted while the backend answers 503");
    assertEquals(List.of(), received(logIds(sink.logs()), "outage"));

    sink.respondWith(200);
    stack.awaitDrained(DRAIN);

    assertExactlyOnce(points, received(pointIds(sink.metricRequests()), "outage"));
    assertExactlyOnce(logs.stream().map(SentLog::id).toList(), received(logIds(sink.logs()), "outage"));
    assertTraceContextKept(logs);
    assertEquals(Double.valueOf(0), totals.written().get(BREAKER_STATE), "the forwarder's circuit breaker closed again");
  }

  /** A log record as sent: its identity and the trace context it carried, if any. */
  private record SentLog(String id, String traceId, String spanId) {}

  /** Counters, a histogram and gauges for each service, exported by the SDK; returns the identities of every point it sent. */
  private static List<String> sendMetrics(String phase) {
    List<String> sent = new ArrayList<>();
    Set<String> series = new HashSet<>();
    for (String service : SERVICES) {
      RecordingExporter exporter = new RecordingExporter(OtlpHttpMetricExporter.builder()
          .setEndpoint(stack.otlpEndpoint() + "/v1/metrics")
          .setCompression("gzip")
          .addHeader("Authorization", "Bearer " + stack.ingestToken())
          .build());
      SdkMeterProvider provider = SdkMeterProvider.builder()
          .setResource(Resource.create(Attributes.of(SERVICE_NAME, service)))
          .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
          .build();
      Meter meter = provider.get("forwarder-it");
      LongCounter requests = meter.counterBuilder("http.server.requests").build();
      LongCounter orders = meter.counterBuilder("orders.placed").build();
      DoubleHistogram duration = meter.histogramBuilder("http.server.duration").setUnit("ms").build();
      DoubleGauge queueDepth = meter.gaugeBuilder("queue.depth").build();
      DoubleGauge memory = meter.gaugeBuilder("process.memory.used").setUnit("By").build();
      for (String route : List.of("/cart", "/checkout", "/pay")) {
        for (int status : new int[] {200, 500}) {
          Attributes attributes = Attributes.builder().put(PHASE, phase).put("http.route", route).put("http.status_code", status).build();
          requests.add(status == 200 ? 40 : 3, attributes);
          for (int i = 0; i < 5; i++) {
            duration.record(12.5 * (i + 1), attributes);
          }
        }
        queueDepth.set(route.length(), Attributes.of(PHASE, phase, AttributeKey.stringKey("queue"), route));
      }
      orders.add(7, Attributes.of(PHASE, phase));
      memory.set(64e6, Attributes.of(PHASE, phase));
      assertTrue(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess(), "ingest accepted the metrics of " + service);
      // shutting down collects and exports once more: those points are sent too
      assertTrue(provider.shutdown().join(30, TimeUnit.SECONDS).isSuccess(), "ingest accepted the last metrics of " + service);
      for (MetricData metric : exporter.exported) {
        String resourceService = metric.getResource().getAttributes().get(SERVICE_NAME);
        for (PointData point : metric.getData().getPoints()) {
          Map<String, String> attributes = new TreeMap<>();
          point.getAttributes().forEach((k, v) -> attributes.put(k.getKey(), String.valueOf(v)));
          sent.add(pointId(resourceService, metric.getName(), attributes, point.getEpochNanos()));
          series.add(resourceService + " " + metric.getName() + attributes);
        }
      }
    }
    assertEquals(SERVICES.size() * (6 + 6 + 3 + 1 + 1), series.size(), "every service sent its counters, histograms and gauges");
    return sent;
  }

  /** Log records of each service, every other one inside a span; returns them as sent. */
  private static List<SentLog> sendLogs(String phase) {
    List<SentLog> sent = new ArrayList<>();
    long base = Instant.now().toEpochMilli() * 1_000_000L;
    int n = 0;
    for (String service : SERVICES) {
      OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
          .setEndpoint(stack.otlpEndpoint() + "/v1/logs")
          .setCompression("gzip")
          .addHeader("Authorization", "Bearer " + stack.ingestToken())
          .build();
      SdkLoggerProvider provider = SdkLoggerProvider.builder()
          .setResource(Resource.create(Attributes.of(SERVICE_NAME, service)))
          .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).setMaxExportBatchSize(16).build())
          .build();
      Logger logger = provider.get("forwarder-it");
      for (int i = 0; i < 20; i++, n++) {
        String body = phase + ": " + service + " handled order " + i;
        long timestamp = base + n;
        LogRecordBuilder record = logger.logRecordBuilder()
            .setBody(body)
            .setTimestamp(timestamp, TimeUnit.NANOSECONDS)
            .setSeverity(i % 5 == 0 ? Severity.WARN : Severity.INFO)
            .setAttribute(PHASE, phase);
        String traceId = "";
        String spanId = "";
        if (i % 2 == 0) {
          traceId = String.format("%032x", 0x7ace00000L + n);
          spanId = String.format("%016x", 0x5ba0000L + n);
          SpanContext span = SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
          record.setContext(Context.root().with(Span.wrap(span)));
        }
        record.emit();
        sent.add(new SentLog(logId(body, timestamp), traceId, spanId));
      }
      assertTrue(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess(), "ingest accepted the logs of " + service);
      assertTrue(provider.shutdown().join(30, TimeUnit.SECONDS).isSuccess(), "the log exporter of " + service + " shut down");
    }
    return sent;
  }

  /** Delegates to the OTLP exporter and keeps what it was given. */
  private static final class RecordingExporter implements MetricExporter {
    private final MetricExporter delegate;
    private final List<MetricData> exported = new CopyOnWriteArrayList<>();

    RecordingExporter(MetricExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      if (!metrics.isEmpty()) {
        exported.addAll(metrics);
      }
      return delegate.export(metrics);
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return delegate.getAggregationTemporality(instrumentType);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
      return delegate.getDefaultAggregation(instrumentType);
    }
  }

  /** A gauge point written straight to the stream behind the bad records, under their partition key. */
  private static ExportMetricsServiceRequest behindBadRecords(long timeUnixNano) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(stringAttribute("service.name", "forwarder-it")))
            .addScopeMetrics(ScopeMetrics.newBuilder()
                .addMetrics(Metric.newBuilder()
                    .setName("records.behind.bad.ones")
                    .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                        .addAttributes(stringAttribute("test.phase", "steady"))
                        .setTimeUnixNano(timeUnixNano)
                        .setAsDouble(1))))))
        .build();
  }

  private static KeyValue stringAttribute(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static String put(String stream, String partitionKey, byte[] data) {
    return stack.kinesis().putRecord(b -> b.streamName(stream).partitionKey(partitionKey).data(SdkBytes.fromByteArray(data))).sequenceNumber();
  }

  /** The raw bytes under the record's name in the failure folder, and a reason that says what is wrong. */
  private static void assertFailureRecord(String stream, String sequenceNumber, byte[] raw, String reason) throws IOException {
    Path folder = stack.failureDirectory();
    List<Path> matches;
    try (Stream<Path> files = Files.list(folder)) {
      matches = files.filter(p -> p.getFileName().toString().startsWith(stream + ".") && p.getFileName().toString().contains("." + sequenceNumber + ".")
          && p.getFileName().toString().endsWith(".bin")).toList();
    }
    assertEquals(1, matches.size(), "one failure record for " + sequenceNumber + " in " + folder);
    assertArrayEquals(raw, Files.readAllBytes(matches.get(0)), "the failure record holds the raw bytes");
    Path sidecar = Path.of(matches.get(0).toString().replaceAll("\\.bin$", ".json"));
    JsonNode json = new ObjectMapper().readTree(sidecar.toFile());
    assertEquals(sequenceNumber, json.get("sequenceNumber").asText());
    assertEquals(stream, json.get("stream").asText());
    assertTrue(json.get("reason").asText().contains(reason), "reason names the problem: " + json.get("reason").asText());
  }

  private static void assertExactlyOnce(List<String> sent, List<String> received) {
    assertEquals(sent.size(), sent.stream().distinct().count(), "the identities sent are distinct");
    Map<String, Long> counts = received.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    Map<String, Long> duplicated = new TreeMap<>(counts);
    duplicated.values().removeIf(c -> c == 1);
    assertEquals(Map.of(), duplicated, "received more than once");
    List<String> missing = sent.stream().filter(id -> !counts.containsKey(id)).toList();
    assertEquals(List.of(), missing, "sent but never received");
    List<String> unexpected = counts.keySet().stream().filter(id -> !sent.contains(id)).toList();
    assertEquals(List.of(), unexpected, "received but never sent");
  }

  private static void assertTraceContextKept(List<SentLog> sent) {
    Map<String, LogRecord> byId = sink.logs().stream()
        .collect(Collectors.toMap(r -> logId(r.getBody().getStringValue(), r.getTimeUnixNano()), r -> r, (a, b) -> a));
    HexFormat hex = HexFormat.of();
    for (SentLog log : sent) {
      LogRecord record = byId.get(log.id());
      assertEquals(log.traceId(), hex.formatHex(record.getTraceId().toByteArray()), "trace id of " + log.id());
      assertEquals(log.spanId(), hex.formatHex(record.getSpanId().toByteArray()), "span id of " + log.id());
    }
  }

  /** The identities received whose point or record belongs to the phase. */
  private static List<String> received(List<String> identities, String phase) {
    return identities.stream().filter(id -> id.contains("test.phase=" + phase + ",") || id.contains("test.phase=" + phase + "}")
        || id.startsWith("log " + phase + ":")).toList();
  }

  private static List<String> pointIds(List<ExportMetricsServiceRequest> requests) {
    List<String> ids = new ArrayList<>();
    for (ExportMetricsServiceRequest request : requests) {
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        String service = attributes(rm.getResource().getAttributesList()).getOrDefault("service.name", "");
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric metric : sm.getMetricsList()) {
            switch (metric.getDataCase()) {
              case SUM -> metric.getSum().getDataPointsList().forEach(p ->
                  ids.add(pointId(service, metric.getName(), attributes(p.getAttributesList()), p.getTimeUnixNano())));
              case GAUGE -> metric.getGauge().getDataPointsList().forEach(p ->
                  ids.add(pointId(service, metric.getName(), attributes(p.getAttributesList()), p.getTimeUnixNano())));
              case HISTOGRAM -> metric.getHistogram().getDataPointsList().forEach(p ->
                  ids.add(pointId(service, metric.getName(), attributes(p.getAttributesList()), p.getTimeUnixNano())));
              case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsList().forEach(p ->
                  ids.add(pointId(service, metric.getName(), attributes(p.getAttributesList()), p.getTimeUnixNano())));
              case SUMMARY -> metric.getSummary().getDataPointsList().forEach(p ->
                  ids.add(pointId(service, metric.getName(), attributes(p.getAttributesList()), p.getTimeUnixNano())));
              default -> ids.add(pointId(service, metric.getName(), Map.of(), 0));
            }
          }
        }
      }
    }
    return ids;
  }

  private static List<String> logIds(List<LogRecord> records) {
    return records.stream().map(r -> logId(r.getBody().getStringValue(), r.getTimeUnixNano())).toList();
  }

  private static String pointId(String service, String metric, Map<String, String> attributes, long timeUnixNano) {
    return service + " " + metric + new TreeMap<>(attributes) + " @" + timeUnixNano;
  }

  private static String logId(String body, long timeUnixNano) {
    return "log " + body + " @" + timeUnixNano;
  }

  private static Map<String, String> attributes(List<KeyValue> keyValues) {
    Map<String, String> out = new TreeMap<>();
    for (KeyValue kv : keyValues) {
      AnyValue v = kv.getValue();
      String value = switch (v.getValueCase()) {
        case STRING_VALUE -> v.getStringValue();
        case INT_VALUE -> Long.toString(v.getIntValue());
        case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
        case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
        default -> v.toString();
      };
      out.put(kv.getKey(), value);
    }
    return out;
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
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
