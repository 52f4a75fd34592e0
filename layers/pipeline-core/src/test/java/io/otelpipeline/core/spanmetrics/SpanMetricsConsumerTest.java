package io.otelpipeline.core.spanmetrics;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static io.otelpipeline.core.spanmetrics.TestSpans.resource;
import static io.otelpipeline.core.spanmetrics.TestSpans.span;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.consume.BatchResult;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.record.Tick;
import io.otelpipeline.core.servicegraph.DynamoDbPendingEdgeStore;
import io.otelpipeline.core.servicegraph.ServiceGraphConfig;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.MutableClock;
import io.otelpipeline.core.testing.TableSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpanMetricsConsumerTest {
  private static final String T1 = "0af7651916cd43dd8448eb211c80319c";
  private static final String CALLS = "traces.span.metrics.calls{service.name=checkout,span.name=POST /pay,span.kind=SPAN_KIND_SERVER,status.code=STATUS_CODE_UNSET}";
  private static final String TABLE = "span-metrics-state";
  private static LocalDynamoDb table;

  private final RecordingMetricsExporter exporter = new RecordingMetricsExporter();
  private final List<String> failed = new ArrayList<>();
  private SpanMetricsConsumer consumer;

  @BeforeAll
  static void startDynamo() throws Exception {
    table = LocalDynamoDb.start().create(TableSpec.spanMetricsState(TABLE));
  }

  @AfterAll
  static void stopDynamo() throws Exception {
    table.close();
  }

  @BeforeEach
  void setUp() {
    table.clear(TABLE);
    MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    FailureDestination failures = (record, reason) -> {
      failed.add(record.sequenceNumber() + ": " + reason);
      return record.sequenceNumber();
    };
    consumer = consumer(SpanMetricsConfig.defaults(), exporter, failures, clock);
  }

  static SpanMetricsConsumer consumer(SpanMetricsConfig config, SignalExporter exporter, FailureDestination failures, MutableClock clock) {
    return new SpanMetricsConsumer(
        Optional.of(config),
        Optional.of(ServiceGraphConfig.defaults()),
        new DynamoDbSpanLedger(table.client(), TABLE, clock),
        new DynamoDbPendingEdgeStore(table.client(), TABLE),
        new DynamoDbSeriesTotals(table.client(), TABLE),
        Optional.empty(),
        exporter,
        failures,
        Telemetry.noop(),
        clock);
  }

  private static StreamRecord record(String seq, Resource resource, Span.Builder... spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (Span.Builder s : spans) {
      scope.addSpans(s);
    }
    byte[] request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
            .build()
            .toByteArray();
    byte[] data = RecordEnvelope.wrap(Signal.TRACES, Compression.GZIP, spans.length, request).toBytes();
    return new StreamRecord("arn:aws:kinesis:us-east-1:1:stream/traces", "shardId-000000000000", seq, T1, data, Instant.parse("2024-05-01T09:59:59Z"));
  }

  private static Span.Builder pay(String spanId) {
    return span(T1, spanId, "00000000000000a1", SPAN_KIND_SERVER, "POST /pay", 10, false);
  }

  private List<String> exportedLines() {
    List<String> lines = new ArrayList<>();
    for (ExportMetricsServiceRequest r : exporter.exported) {
      lines.addAll(TestSpans.lines(r.getResourceMetricsList()));
    }
    return lines;
  }

  private long calls() {
    return exportedLines().stream().filter(l -> l.startsWith(CALLS)).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void aBatchRetriedAfterAFailedExportIsCountedOnce() {
    List<StreamRecord> batch =
        List.of(record("1", resource("checkout"), pay("0000000000000001"), pay("0000000000000002")), record("2", resource("checkout"), pay("0000000000000003")));
    exporter.answer = ExportResult.retryable("503");
    assertEquals(BatchResult.failedFrom("1"), consumer.consume(batch));
    exporter.answer = ExportResult.success();
    assertEquals(BatchResult.allHandled(), consumer.consume(batch));
    assertEquals(3, calls());
  }

  @Test
  void aBatchRetriedAfterASuccessfulExportIsNotCountedAgain() {
    List<StreamRecord> batch = List.of(record("1", resource("checkout"), pay("0000000000000001")));
    consumer.consume(batch);
    consumer.consume(batch);
    List<StreamRecord> bisected = List.of(batch.get(0), record("2", resource("checkout"), pay("0000000000000002")));
    consumer.consume(bisected);
    assertEquals(2, calls());
  }

  @Test
  void duplicateSpansAreCountedOnceWithinAndAcrossBatches() {
    consumer.consume(List.of(record("1", resource("checkout"), pay("0000000000000001"), pay("0000000000000001")), record("2", resource("checkout"), pay("0000000000000001"))));
    consumer.consume(List.of(record("3", resource("checkout"), pay("0000000000000001"), pay("0000000000000002"))));
    assertEquals(2, calls());
  }

  @Test
  void ticksAreSkippedWithoutStateOrExport() {
    StreamRecord tick = new StreamRecord("arn:aws:kinesis:us-east-1:1:stream/traces", "shardId-000000000000", "1", Tick.PARTITION_KEY,
        Tick.record(), Instant.parse("2024-05-01T09:59:59Z"));
    assertEquals(BatchResult.allHandled(), consumer.consume(List.of(tick)));
    assertEquals(0, table.count(TABLE), "no ledger entry for a tick");
    assertTrue(exporter.exported.isEmpty());

    consumer.consume(List.of(tick, record("2", resource("checkout"), pay("0000000000000001"))));
    assertEquals(1, calls());
    assertTrue(failed.isEmpty(), "a tick is not a bad record: " + failed);
  }

  @Test
  void aBadRecordGoesToTheFailureDestinationAndTheRestIsCounted() {
    StreamRecord bad = new StreamRecord("arn", "shardId-000000000000", "1", "k", new byte[] {1, 2, 3}, Instant.EPOCH);
    consumer.consume(List.of(bad, record("2", resource("checkout"), pay("0000000000000001"))));
    assertEquals(1, calls());
    assertEquals(1, failed.size());
    assertTrue(failed.get(0).startsWith("1: span-metrics record shardId-000000000000/1 cannot be decoded: record of 3 bytes"), failed.get(0));
  }

  @Test
  void servicesGraphEdgesAreExportedWithSpanMetricsInOneRequest() {
    consumer.consume(
        List.of(
            record("1", resource("frontend"), span(T1, "00000000000000a1", "", SPAN_KIND_CLIENT, "POST", 20, false)),
            record("2", resource("checkout"), pay("00000000000000b1"))));
    assertEquals(1, exporter.exported.size());
    assertTrue(
        exportedLines().contains("traces_service_graph_request_total{client=frontend,server=checkout,connection_type=,failed=false} 1"),
        exportedLines().toString());
  }

  @Test
  void aPermanentRefusalSendsTheRecordsToTheFailureDestinationOnce() {
    exporter.answer = ExportResult.permanent("400 bad metric");
    List<StreamRecord> batch = List.of(record("1", resource("checkout"), pay("0000000000000001")));
    assertEquals(BatchResult.allHandled(), consumer.consume(batch));
    consumer.consume(batch);
    assertEquals(List.of("1: span metrics from this record were refused by the backend: 400 bad metric"), failed);
  }
}
