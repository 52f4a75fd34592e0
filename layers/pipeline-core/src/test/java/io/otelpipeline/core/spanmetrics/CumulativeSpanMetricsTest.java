package io.otelpipeline.core.spanmetrics;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static io.otelpipeline.core.testing.TestSpans.resource;
import static io.otelpipeline.core.testing.TestSpans.span;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.connectors.SpanConnectorsConsumer;
import io.otelpipeline.core.connectors.SpanConnectorsShardState;
import io.otelpipeline.core.connectors.SpanConnectorsShardStateCodec;
import io.otelpipeline.core.consume.BatchResult;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.shardstate.S3ShardStateStore;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.spans.SeenSpans;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.LocalS3;
import io.otelpipeline.core.testing.MutableClock;
import io.otelpipeline.core.testing.RecordingMetricsExporter;
import io.otelpipeline.core.testing.TableSpec;
import io.otelpipeline.core.testing.TestSpans;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cumulative span metrics: running totals in DynamoDB Local that every shard adds to once per
 * record, the shards' own states in S3Proxy.
 */
class CumulativeSpanMetricsTest {
  private static final String T1 = "0af7651916cd43dd8448eb211c80319c";
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final String PAY = "{service.name=checkout,span.name=POST /pay,span.kind=SPAN_KIND_SERVER,status.code=STATUS_CODE_UNSET}";
  private static final SpanMetricsConfig CONFIG =
      SpanMetricsConfig.from(
              PipelineConfig.parse(
                  "test.yaml",
                  "connectors:\n  spanmetrics:\n    histogram: {explicit: {buckets: [10ms, 100ms]}}\n"
                      + "    aggregation_temporality: AGGREGATION_TEMPORALITY_CUMULATIVE\n",
                  new FunctionEnvironment(Map.of())))
          .orElseThrow();
  private static final String TABLE = "span-metrics";
  private static final String STATE = "shard-state";
  private static LocalDynamoDb table;
  private static LocalS3 s3;
  private static int tests;

  private final RecordingMetricsExporter exporter = new RecordingMetricsExporter();
  private final MutableClock clock = new MutableClock(T0);
  private ShardStates<SpanConnectorsShardState> states;

  @BeforeAll
  static void startDynamo() throws Exception {
    table = LocalDynamoDb.start().create(TableSpec.spanMetrics(TABLE), TableSpec.shardState(STATE));
    s3 = LocalS3.start().create(STATE);
  }

  @AfterAll
  static void stopDynamo() throws Exception {
    s3.close();
    table.close();
  }

  @BeforeEach
  void setUp() {
    table.clear(TABLE);
    states = new ShardStates<>(new S3ShardStateStore(s3.client(), STATE, table.client(), STATE, "span-metrics-" + (++tests)), new SpanConnectorsShardStateCodec());
  }

  private SpanConnectorsConsumer consumer() {
    FailureDestination failures = (record, reason) -> {
      throw new AssertionError("no record should fail: " + reason);
    };
    return new SpanConnectorsConsumer(
        Optional.of(CONFIG),
        Optional.empty(),
        states,
        ShardLineage.none(),
        SeenSpans.Limits.DEFAULT,
        Optional.of(new DynamoDbSeriesTotals(table.client(), TABLE)),
        Optional.empty(),
        exporter,
        failures,
        Telemetry.noop(),
        clock);
  }

  private static StreamRecord record(String shard, String seq, Resource resource, Span.Builder... spans) {
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
    return new StreamRecord("arn:aws:kinesis:us-east-1:1:stream/traces", shard, seq, T1, data, T0.minusSeconds(1));
  }

  private static Span.Builder pay(String spanId, double millis) {
    return span(T1, spanId, "00000000000000a1", SPAN_KIND_SERVER, "POST /pay", millis, false);
  }

  /** The data points of the last export, one line each. */
  private List<String> lastExport() {
    return TestSpans.lines(exporter.exported.get(exporter.exported.size() - 1).getResourceMetricsList());
  }

  private NumberDataPoint lastCallsPoint() {
    Metric calls = exporter.exported.get(exporter.exported.size() - 1).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, calls.getSum().getAggregationTemporality());
    return calls.getSum().getDataPoints(0);
  }

  @Test
  void twoShardsAddToOneSeriesThatKeepsTheStartTimeOfItsFirstSpan() {
    consumer().consume(List.of(record("shardId-000000000000", "1", resource("checkout"), pay("0000000000000001", 5))));
    long firstStart = lastCallsPoint().getStartTimeUnixNano();
    clock.advance(Duration.ofSeconds(30));
    consumer().consume(List.of(record("shardId-000000000001", "1", resource("checkout"), pay("0000000000000002", 50), pay("0000000000000003", 500))));
    assertEquals(
        List.of(
            "traces.span.metrics.calls" + PAY + " 3",
            "traces.span.metrics.duration" + PAY + " count=3 sum=555.000 buckets=[1, 1, 1] exemplars=0"),
        lastExport());
    assertEquals(firstStart, lastCallsPoint().getStartTimeUnixNano());
    assertEquals(T0.getEpochSecond() * 1_000_000_000L, firstStart);
    assertEquals((T0.getEpochSecond() + 30) * 1_000_000_000L, lastCallsPoint().getTimeUnixNano());
  }

  @Test
  void aBatchRetriedAfterAFailedExportIsAddedOnceAndItsTotalsExportedOnTheRetry() {
    List<StreamRecord> batch =
        List.of(
            record("shardId-000000000000", "1", resource("checkout"), pay("0000000000000001", 5), pay("0000000000000002", 5)),
            record("shardId-000000000000", "2", resource("checkout"), pay("0000000000000003", 5)));
    exporter.answer = ExportResult.retryable("503");
    assertEquals(BatchResult.failedFrom("1"), consumer().consume(batch));
    exporter.answer = ExportResult.success();
    assertEquals(BatchResult.allHandled(), consumer().consume(batch));
    consumer().consume(List.of(batch.get(1), record("shardId-000000000000", "3", resource("checkout"), pay("0000000000000004", 5))));
    assertEquals(2, exporter.exported.size());
    assertEquals("traces.span.metrics.calls" + PAY + " 4", lastExport().get(0));
  }

  @Test
  void aRecordAddedBeforeAddsNothingWhateverBatchItComesBackIn() {
    SeriesTotals totals = new DynamoDbSeriesTotals(table.client(), TABLE);
    CumulativeSpanMetrics cumulative = CumulativeSpanMetrics.create(CONFIG);
    SeriesTotals.RecordDeltas r1 = deltas(cumulative, "s0/1", pay("0000000000000001", 5));
    SeriesTotals.RecordDeltas r2 = deltas(cumulative, "s0/2", pay("0000000000000002", 5));
    SeriesTotals.RecordDeltas r3 = deltas(cumulative, "s0/3", pay("0000000000000003", 5));
    totals.add(List.of(r1, r2), T0);
    totals.add(List.of(r2, r3), T0);
    totals.add(List.of(r1), T0);
    List<SeriesCounts> read = totals.read(List.of(r1.series().get(0).key()));
    assertEquals(3, read.get(0).calls());
    assertEquals(List.of(3L, 0L, 0L), read.get(0).buckets());
  }

  @Test
  void aRecordWithMoreSeriesThanOneTransactionHoldsIsAddedOnceInChunks() {
    SeriesTotals totals = new DynamoDbSeriesTotals(table.client(), TABLE);
    CumulativeSpanMetrics cumulative = CumulativeSpanMetrics.create(CONFIG);
    SpanMetricsAggregator aggregator = SpanMetricsAggregator.create(CONFIG);
    for (int i = 0; i < 250; i++) {
      aggregator.add(resource("checkout"), span(T1, String.format("%016x", i + 1), "", SPAN_KIND_SERVER, "GET /item/" + i, 1, false).build(), 1);
    }
    List<SeriesCounts> series = cumulative.deltas(aggregator);
    SeriesTotals.RecordDeltas big = new SeriesTotals.RecordDeltas("s0/1", series);
    totals.add(List.of(big), T0);
    totals.add(List.of(deltas(cumulative, "s0/2", pay("0000000000000001", 5)), big), T0);
    List<SeriesCounts> read = totals.read(series.stream().map(SeriesCounts::key).toList());
    assertEquals(250, read.size());
    assertTrue(read.stream().allMatch(s -> s.calls() == 1), read.toString());
  }

  @Test
  void shardsContendingForOneSeriesLoseNothingAndAddNothingTwice() throws Exception {
    SeriesTotals totals = new DynamoDbSeriesTotals(table.client(), TABLE);
    CumulativeSpanMetrics cumulative = CumulativeSpanMetrics.create(CONFIG);
    ExecutorService shards = Executors.newFixedThreadPool(3);
    try {
      List<Callable<Void>> work = new ArrayList<>();
      for (int shard = 0; shard < 3; shard++) {
        int s = shard;
        work.add(
            () -> {
              for (int seq = 0; seq < 20; seq++) {
                SeriesTotals.RecordDeltas r = deltas(cumulative, "s" + s + "/" + seq, pay(String.format("%016x", s * 100 + seq + 1), 5));
                totals.add(List.of(r), T0);
                totals.add(List.of(r), T0);
              }
              return null;
            });
      }
      for (Future<Void> f : shards.invokeAll(work)) {
        f.get();
      }
    } finally {
      shards.shutdown();
    }
    String key = deltas(cumulative, "any", pay("0000000000000001", 5)).series().get(0).key();
    assertEquals(60, totals.read(List.of(key)).get(0).calls());
  }

  @Test
  void cumulativeTemporalityWithoutASeriesTableIsRefusedAtStart() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> new SpanConnectorsConsumer(
                Optional.of(CONFIG), Optional.empty(), states, ShardLineage.none(), SeenSpans.Limits.DEFAULT, Optional.empty(),
                Optional.empty(), exporter, (record, reason) -> "", Telemetry.noop(), clock));
    assertTrue(e.getMessage().contains("SPAN_METRICS_TABLE"), e.getMessage());
    assertTrue(SpanMetricsConnector.needsSeriesTotals(Optional.of(CONFIG)));
    assertTrue(!SpanMetricsConnector.needsSeriesTotals(Optional.of(SpanMetricsConfig.defaults())));
  }

  @Test
  void exponentialHistogramsAreRefusedWithCumulativeTemporalityNamingTheKey() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> SpanMetricsConfig.from(
                PipelineConfig.parse(
                    "test.yaml",
                    "connectors:\n  spanmetrics:\n    histogram: {exponential: {max_size: 40}}\n"
                        + "    aggregation_temporality: AGGREGATION_TEMPORALITY_CUMULATIVE\n",
                    new FunctionEnvironment(Map.of()))));
    assertTrue(e.getMessage().contains("connectors.spanmetrics.histogram.exponential"), e.getMessage());
  }

  private static SeriesTotals.RecordDeltas deltas(CumulativeSpanMetrics cumulative, String recordId, Span.Builder span) {
    SpanMetricsAggregator aggregator = SpanMetricsAggregator.create(CONFIG);
    aggregator.add(resource("checkout"), span.build(), 1);
    return new SeriesTotals.RecordDeltas(recordId, cumulative.deltas(aggregator));
  }
}
