package io.otelpipeline.core.connectors;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static io.otelpipeline.core.testing.TestSpans.kv;
import static io.otelpipeline.core.testing.TestSpans.resource;
import static io.otelpipeline.core.testing.TestSpans.span;
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
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.partition.HashKey;
import io.otelpipeline.core.partition.ShardMap;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.record.Tick;
import io.otelpipeline.core.servicegraph.ServiceGraphConfig;
import io.otelpipeline.core.shardstate.S3ShardStateStore;
import io.otelpipeline.core.shardstate.ShardStateVersion;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.spanmetrics.SpanMetricsConfig;
import io.otelpipeline.core.spans.SeenSpans;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.LocalShardStates;
import io.otelpipeline.core.testing.MutableClock;
import io.otelpipeline.core.testing.RecordingMetricsExporter;
import io.otelpipeline.core.testing.TestSpans;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The span-metrics consumer on its shard states, kept in S3Proxy behind fence items in DynamoDB
 * Local. A "container" is a {@link ShardStates} with its warm cache: a new one is a cold start
 * that reads the state back from S3.
 */
class SpanConnectorsConsumerTest {
  private static final String T1 = "0af7651916cd43dd8448eb211c80319c";
  private static final String STREAM = "arn:aws:kinesis:us-east-1:1:stream/traces";
  private static final String SHARD = "shardId-000000000000";
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final String CALLS = "traces.span.metrics.calls{service.name=checkout,span.name=POST /pay,span.kind=SPAN_KIND_SERVER,status.code=STATUS_CODE_UNSET}";
  private static final ServiceGraphConfig GRAPH = ServiceGraphConfig.parse(io.otelpipeline.core.config.ConfigBlock.of(
      "connectors.servicegraph", java.util.Map.of("store", java.util.Map.of("ttl", "30s"))));
  private static LocalShardStates stores;
  private static int tests;

  private final RecordingMetricsExporter exporter = new RecordingMetricsExporter();
  private final List<String> failed = new ArrayList<>();
  private final MutableClock clock = new MutableClock(T0.plusSeconds(1));
  private final FailureDestination failures = (record, reason) -> {
    failed.add(record.sequenceNumber() + ": " + reason);
    return record.sequenceNumber();
  };
  private String consumerName;
  private ShardLineage lineage = ShardLineage.none();
  private SpanConnectorsConsumer consumer;

  @BeforeAll
  static void start() {
    stores = LocalShardStates.start();
  }

  @AfterAll
  static void stop() {
    stores.close();
  }

  @BeforeEach
  void setUp() {
    consumerName = "span-metrics-" + (++tests);
    consumer = container();
  }

  private S3ShardStateStore store() {
    return stores.store(consumerName);
  }

  /** A consumer in a new container: nothing warm, the states in S3 and the fence table as saved. */
  private SpanConnectorsConsumer container() {
    return new SpanConnectorsConsumer(
        Optional.of(SpanMetricsConfig.defaults()),
        Optional.of(GRAPH),
        new ShardStates<>(store(), new SpanConnectorsShardStateCodec()),
        (arn, shard) -> lineage.origin(arn, shard),
        SeenSpans.Limits.DEFAULT,
        Optional.empty(),
        Optional.empty(),
        exporter,
        failures,
        Telemetry.noop(),
        clock);
  }

  private static StreamRecord record(String seq, Resource resource, Span.Builder... spans) {
    return record(SHARD, seq, T0, resource, spans);
  }

  private static StreamRecord record(String shard, String seq, Instant arrival, Resource resource, Span.Builder... spans) {
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
    return new StreamRecord(STREAM, shard, seq, "k", data, arrival);
  }

  private static StreamRecord tick(String shard, String seq, Instant arrival) {
    return new StreamRecord(STREAM, shard, seq, Tick.PARTITION_KEY, Tick.record(), arrival);
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

  private long sum(String prefix) {
    return exportedLines().stream().filter(l -> l.startsWith(prefix)).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private long calls() {
    return sum(CALLS);
  }

  private Optional<ShardStateVersion> saved(String shard) {
    return store().current(shard);
  }

  @Test
  void aBatchRetriedAfterARetryableExportFailureIsCountedOnceAndNothingIsSavedBeforeIt() {
    List<StreamRecord> batch =
        List.of(record("1", resource("checkout"), pay("0000000000000001"), pay("0000000000000002")), record("2", resource("checkout"), pay("0000000000000003")));
    exporter.answer = ExportResult.retryable("503");
    assertEquals(BatchResult.failedFrom("1"), consumer.consume(batch));
    assertEquals(Optional.empty(), saved(SHARD), "a failed export saves nothing: the spans it saw are not taken as seen");
    exporter.answer = ExportResult.success();
    assertEquals(BatchResult.allHandled(), consumer.consume(batch));
    assertEquals(3, calls());
    assertEquals("2", saved(SHARD).orElseThrow().sequenceNumber());
  }

  @Test
  void aRetryAfterAFailedExportStartsFromItsFirstUncoveredRecord() {
    consumer.consume(List.of(record("1", resource("checkout"), pay("0000000000000001"))));
    List<StreamRecord> batch = List.of(record("2", resource("checkout"), pay("0000000000000002")), record("3", resource("checkout"), pay("0000000000000003")));
    exporter.answer = ExportResult.retryable("429");
    assertEquals(BatchResult.failedFrom("2"), consumer.consume(batch));
    exporter.answer = ExportResult.success();
    consumer.consume(batch);
    assertEquals(3, calls());
  }

  @Test
  void aBatchRetriedAfterItsStateWasSavedButBeforeItsCheckpointCountsNothingTwice() {
    // The invocation saved its state, then died before Lambda checkpointed the batch: the same
    // records come again, to this container or to a new one.
    List<StreamRecord> batch =
        List.of(record("1", resource("checkout"), pay("0000000000000001")), record("2", resource("checkout"), pay("0000000000000002")));
    assertEquals(BatchResult.allHandled(), consumer.consume(batch));
    assertEquals(BatchResult.allHandled(), consumer.consume(batch));
    assertEquals(BatchResult.allHandled(), container().consume(batch));
    assertEquals(1, exporter.exported.size(), "the retries export nothing");

    List<StreamRecord> longer = List.of(batch.get(0), batch.get(1), record("3", resource("checkout"), pay("0000000000000003")));
    assertEquals(BatchResult.allHandled(), container().consume(longer));
    List<StreamRecord> bisected = List.of(batch.get(1));
    assertEquals(BatchResult.allHandled(), container().consume(bisected));
    assertEquals(3, calls());
    assertEquals("3", saved(SHARD).orElseThrow().sequenceNumber());
  }

  @Test
  void aRetriedBatchIsSkippedByTheSequenceItsStateCoversNotByTheSpanIdsItRemembers() {
    // remembering one span id only: the retried spans are forgotten, the records are still covered
    SpanConnectorsConsumer forgetful =
        new SpanConnectorsConsumer(
            Optional.of(SpanMetricsConfig.defaults()), Optional.empty(), new ShardStates<>(store(), new SpanConnectorsShardStateCodec()),
            ShardLineage.none(), new SeenSpans.Limits(Duration.ofMinutes(2), 1), Optional.empty(), Optional.empty(), exporter,
            failures, Telemetry.noop(), clock);
    StreamRecord bad = new StreamRecord(STREAM, SHARD, "3", "k", new byte[] {1, 2, 3}, T0);
    List<StreamRecord> batch =
        List.of(record("1", resource("checkout"), pay("0000000000000001")), record("2", resource("checkout"), pay("0000000000000002")), bad);
    forgetful.consume(batch);
    forgetful.consume(batch);
    assertEquals(2, calls());
    assertEquals(1, failed.size(), "the bad record went to the failure destination once: " + failed);
  }

  @Test
  void aDuplicateSpanInALaterRecordOrBatchIsCountedOnceAcrossColdStarts() {
    consumer.consume(
        List.of(
            record("1", resource("checkout"), pay("0000000000000001"), pay("0000000000000001")),
            record("2", resource("checkout"), pay("0000000000000001"))));
    container().consume(List.of(record("3", resource("checkout"), pay("0000000000000001"), pay("0000000000000002"))));
    assertEquals(2, calls());
  }

  @Test
  void aDuplicateOutsideTheWindowOfStreamTimeIsCountedAgain() {
    consumer =
        new SpanConnectorsConsumer(
            Optional.of(SpanMetricsConfig.defaults()), Optional.empty(), new ShardStates<>(store(), new SpanConnectorsShardStateCodec()),
            ShardLineage.none(), new SeenSpans.Limits(Duration.ofSeconds(60), 1000), Optional.empty(), Optional.empty(), exporter,
            failures, Telemetry.noop(), clock);
    consumer.consume(List.of(record(SHARD, "1", T0, resource("checkout"), pay("0000000000000001"))));
    consumer.consume(List.of(record(SHARD, "2", T0.plusSeconds(30), resource("checkout"), pay("0000000000000001"))));
    assertEquals(1, calls(), "30 s later it is a duplicate");
    consumer.consume(List.of(record(SHARD, "3", T0.plusSeconds(100), resource("checkout"), pay("0000000000000001"))));
    assertEquals(2, calls(), "70 s after it was last seen the trace is forgotten");
  }

  @Test
  void aServiceGraphPairSplitAcrossTwoInvocationsIsPaired() {
    consumer.consume(List.of(record(SHARD, "1", T0, resource("frontend"), span(T1, "00000000000000a1", "", SPAN_KIND_CLIENT, "POST", 20, false))));
    assertEquals(0, sum("traces_service_graph_request_total"));
    container().consume(List.of(record(SHARD, "2", T0.plusSeconds(10), resource("checkout"), pay("00000000000000b1"))));
    assertEquals(1, sum("traces_service_graph_request_total{client=frontend,server=checkout"), exportedLines().toString());
    container().consume(List.of(tick(SHARD, "3", T0.plusSeconds(120))));
    assertEquals(0, sum("traces_service_graph_unpaired_spans_total"), "a paired half never expires");
  }

  @Test
  void anUnpairedHalfExpiresWhenStreamTimePassesItsTtlNotTheClock() {
    consumer.consume(
        List.of(
            record(SHARD, "1", T0, resource("checkout"),
                span(T1, "00000000000000d1", "00000000000000d0", SPAN_KIND_CLIENT, "charge", 80, false).addAttributes(kv("peer.service", "stripe")))));
    clock.advance(Duration.ofHours(1));
    consumer.consume(List.of(tick(SHARD, "2", T0.plusSeconds(20))));
    assertEquals(0, sum("traces_service_graph_unpaired_spans_total"), "20 s of stream time, whatever the clock says");
    consumer.consume(List.of(tick(SHARD, "3", T0.plusSeconds(31))));
    assertEquals(1, sum("traces_service_graph_unpaired_spans_total{client=checkout}"));
    assertEquals(1, sum("traces_service_graph_request_total{client=checkout,server=stripe,connection_type=virtual_node"));
    consumer.consume(List.of(tick(SHARD, "4", T0.plusSeconds(90))));
    assertEquals(1, sum("traces_service_graph_unpaired_spans_total"), "expired once");
  }

  @Test
  void aLaterRecordsArrivalAlsoMovesStreamTimeWithinOneBatch() {
    consumer.consume(
        List.of(
            record(SHARD, "1", T0, resource("payment"), span(T1, "00000000000000e1", "00000000000000ff", SPAN_KIND_SERVER, "POST", 8, false)),
            record(SHARD, "2", T0.plusSeconds(45), resource("checkout"), pay("0000000000000001"))));
    assertEquals(1, sum("traces_service_graph_unpaired_spans_total{server=payment}"));
  }

  @Test
  void aChildShardStartsFromItsParentsStateKeepingOnlyItsHashKeys() {
    BigInteger middle = ShardMap.MAX_HASH_KEY.shiftRight(1);
    String parent = "shardId-000000000000";
    String low = "shardId-000000000001";
    String high = "shardId-000000000002";
    lineage =
        (arn, shard) -> switch (shard) {
          case "shardId-000000000001" -> new ShardLineage.Origin(new ShardMap.ShardRange(low, BigInteger.ZERO, middle), List.of(parent));
          case "shardId-000000000002" -> new ShardLineage.Origin(new ShardMap.ShardRange(high, middle.add(BigInteger.ONE), ShardMap.MAX_HASH_KEY), List.of(parent));
          default -> ShardLineage.none().origin(arn, shard);
        };
    String lowTrace = traceIn(BigInteger.ZERO, middle);
    String highTrace = traceIn(middle.add(BigInteger.ONE), ShardMap.MAX_HASH_KEY);
    consumer.consume(
        List.of(
            record(parent, "10", T0, resource("frontend"),
                span(lowTrace, "00000000000000a1", "", SPAN_KIND_CLIENT, "GET", 5, false),
                span(highTrace, "00000000000000a2", "", SPAN_KIND_CLIENT, "GET", 5, false),
                span(lowTrace, "00000000000000c1", "00000000000000c0", SPAN_KIND_SERVER, "GET", 5, false))));
    exporter.exported.clear();

    // the low child: the parent's span of its trace is a duplicate; its half waits and expires there
    container().consume(
        List.of(
            record(low, "20", T0.plusSeconds(1), resource("frontend"), span(lowTrace, "00000000000000c1", "00000000000000c0", SPAN_KIND_SERVER, "GET", 5, false)),
            tick(low, "21", T0.plusSeconds(40))));
    assertEquals(0, sum("traces.span.metrics.calls"), "a span its parent counted is not counted again");
    assertEquals(2, sum("traces_service_graph_unpaired_spans_total"), "its own two halves, not the high child's: " + exportedLines());

    // the high child pairs the parent's client half of its trace
    exporter.exported.clear();
    container().consume(
        List.of(record(high, "30", T0.plusSeconds(2), resource("checkout"), span(highTrace, "00000000000000b1", "00000000000000a2", SPAN_KIND_SERVER, "GET", 3, false))));
    assertEquals(1, sum("traces_service_graph_request_total{client=frontend,server=checkout"), exportedLines().toString());
    container().consume(List.of(tick(high, "31", T0.plusSeconds(60))));
    assertEquals(0, sum("traces_service_graph_unpaired_spans_total"), "the low child's halves are not the high child's");
  }

  /** A trace id whose hash key is in [from, to]. */
  private static String traceIn(BigInteger from, BigInteger to) {
    for (int i = 1; ; i++) {
      String trace = String.format("%032x", i * 7919L);
      BigInteger key = HashKey.ofPartitionKey(trace);
      if (key.compareTo(from) >= 0 && key.compareTo(to) <= 0) {
        return trace;
      }
    }
  }

  @Test
  void aSecondInvocationSavingFirstFailsThisOnesBatchAndTheRetryAddsNothing() {
    List<StreamRecord> batch = List.of(record("1", resource("checkout"), pay("0000000000000001")));
    consumer.consume(List.of(record("0", resource("checkout"), pay("0000000000000000"))));
    // a stray invocation of the same shard (another container) saves while this one exports
    exporter.whileExporting = () -> assertEquals(BatchResult.allHandled(), container().consume(batch));
    assertEquals(BatchResult.failedFrom("1"), consumer.consume(batch));
    assertEquals(2, saved(SHARD).orElseThrow().version(), "the state did not fork: one save after the first");
    long exports = exporter.exported.size();
    assertEquals(BatchResult.allHandled(), consumer.consume(batch));
    assertEquals(exports, exporter.exported.size(), "the retry finds the batch covered by the newer state");
  }

  @Test
  void ticksMoveTimeAndAreNotCountedOrRefused() {
    assertEquals(BatchResult.allHandled(), consumer.consume(List.of(tick(SHARD, "1", T0))));
    assertTrue(exporter.exported.isEmpty());
    consumer.consume(List.of(tick(SHARD, "2", T0), record("3", resource("checkout"), pay("0000000000000001"))));
    assertEquals(1, calls());
    assertTrue(failed.isEmpty(), "a tick is not a bad record: " + failed);
  }

  @Test
  void aBadRecordGoesToTheFailureDestinationAndTheRestIsCounted() {
    StreamRecord bad = new StreamRecord(STREAM, SHARD, "1", "k", new byte[] {1, 2, 3}, T0);
    consumer.consume(List.of(bad, record("2", resource("checkout"), pay("0000000000000001"))));
    assertEquals(1, calls());
    assertEquals(1, failed.size());
    assertTrue(failed.get(0).startsWith("1: span-metrics record shardId-000000000000/1 cannot be decoded: record of 3 bytes"), failed.get(0));
  }

  @Test
  void serviceGraphEdgesAreExportedWithSpanMetricsInOneRequest() {
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
