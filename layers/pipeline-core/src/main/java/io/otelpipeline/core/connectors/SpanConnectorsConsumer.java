package io.otelpipeline.core.connectors;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.otelpipeline.core.consume.BatchResult;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.consume.TraceRecordReader;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.export.ExporterInstruments;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.partition.HashKey;
import io.otelpipeline.core.servicegraph.ServiceGraphConfig;
import io.otelpipeline.core.servicegraph.ServiceGraphConnector;
import io.otelpipeline.core.shardstate.ShardStateConflict;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.spanmetrics.CloudWatchRedMetrics;
import io.otelpipeline.core.spanmetrics.SeriesTotals;
import io.otelpipeline.core.spanmetrics.SpanMetricsConfig;
import io.otelpipeline.core.spanmetrics.SpanMetricsConnector;
import io.otelpipeline.core.spans.ConnectorBatch;
import io.otelpipeline.core.spans.SeenSpans;
import io.otelpipeline.core.spans.SpanPass;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.telemetry.Unit;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one batch of span records of a shard into span metrics and service-graph metrics, as a
 * sequential processor of that shard with checkpointed state ({@link SpanConnectorsShardState}): one
 * {@link SpanPass} over the batch feeds the spanmetrics and servicegraph connectors (and the
 * CloudWatch RED metrics, when on), as one traces pipeline feeds both connectors in the Collector.
 *
 * <p>Per invocation: load the shard's state (fresh for a new shard; a child shard after a reshard
 * starts from what its parents left of its own hash keys), skip the records the state already
 * covers (a retried batch adds nothing twice), take in the rest in order (ticks only move the
 * shard's stream time), export what the connectors made in one request, then save the state with
 * the last record's sequence number.
 *
 * <p>Exactly once, as far as the state can make it: a record the saved state covers is skipped; a
 * span id seen recently (by {@link SeenSpans.Limits}) is not counted again; a retryable export
 * failure saves nothing and fails the batch from its first uncovered record, so the retry starts
 * from the same state; a {@link ShardStateConflict} (another invocation saved first) fails it the
 * same way, and the retry starts from the newer state. The one window left is a crash between the
 * backend accepting the export and the save that follows it: the batch is then counted again (at
 * least once, never lost), as it was with the ledger this state replaces. Cumulative span metrics
 * do not have that window ({@link SpanMetricsConnector}).
 */
public final class SpanConnectorsConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(SpanConnectorsConsumer.class);
  static final Counter SKIPPED_RECORDS = Counter.builder("otelcol_connector_spanmetrics_skipped_records")
      .setUnit(Unit.COUNT)
      .setDescription("Records skipped, by reason: already_counted when the shard's saved state covers them (a retried batch).")
      .setDimensions("reason")
      .build();

  private final Optional<SpanMetricsConnector> spanMetrics;
  private final Optional<CloudWatchRedMetrics> emf;
  private final Optional<ServiceGraphConnector> serviceGraph;
  private final ShardStates<SpanConnectorsShardState> states;
  private final ShardLineage lineage;
  private final SpanPass pass;
  private final SignalExporter exporter;
  private final FailureDestination failures;
  private final Telemetry telemetry;
  private final Clock clock;

  /**
   * @param totals the shared series totals; needed (and only used) with cumulative span metrics
   */
  public SpanConnectorsConsumer(
      Optional<SpanMetricsConfig> spanMetrics,
      Optional<ServiceGraphConfig> serviceGraph,
      ShardStates<SpanConnectorsShardState> states,
      ShardLineage lineage,
      SeenSpans.Limits dedup,
      Optional<SeriesTotals> totals,
      Optional<CloudWatchRedMetrics> emf,
      SignalExporter exporter,
      FailureDestination failures,
      Telemetry telemetry,
      Clock clock) {
    this.serviceGraph = serviceGraph.map(ServiceGraphConnector::create);
    this.spanMetrics = spanMetrics.map(c -> SpanMetricsConnector.create(c, totals));
    this.emf = emf;
    this.states = states;
    this.lineage = lineage;
    this.pass = new SpanPass(new TraceRecordReader(failures, "span-metrics"), dedup, telemetry);
    this.exporter = exporter;
    this.failures = failures;
    this.telemetry = telemetry;
    this.clock = clock;
  }

  /** Handles a batch of one shard's records, in the shard's order. */
  public BatchResult consume(List<StreamRecord> batch) {
    if (batch.isEmpty()) {
      return BatchResult.allHandled();
    }
    ShardLineage.Origin origin = lineage.origin(batch.get(0).streamArn(), batch.get(0).shardId());
    ShardStates.Loaded<SpanConnectorsShardState> loaded = states.load(batch.get(0).shardId(), origin.parents(),
        parents -> SpanConnectorsShardState.inherit(parents, traceHex -> origin.owns(HashKey.ofPartitionKey(traceHex))));
    List<StreamRecord> todo = uncovered(batch, loaded);
    if (todo.isEmpty()) {
      return BatchResult.allHandled();
    }
    List<ConnectorBatch> connectors = open(loaded.state());
    SpanPass.Result passed = pass.run(todo, loaded.state(), origin, connectors);
    if (!export(connectors, window(todo), passed.spanRecords())) {
      // nothing is saved: the retry starts from the state this invocation loaded
      return BatchResult.failedFrom(todo.get(0).sequenceNumber());
    }
    connectors.forEach(ConnectorBatch::exported);
    try {
      states.save(loaded, batch.get(batch.size() - 1).sequenceNumber(), loaded.state());
    } catch (ShardStateConflict e) {
      LOG.warn("span-metrics: {}", e.getMessage());
      telemetry.count(ShardStates.CONFLICTS, 1);
      return BatchResult.failedFrom(todo.get(0).sequenceNumber());
    }
    passed.report(telemetry);
    connectors.forEach(c -> c.saved(telemetry));
    return BatchResult.allHandled();
  }

  /** The records the loaded state does not cover yet. */
  private List<StreamRecord> uncovered(List<StreamRecord> batch, ShardStates.Loaded<SpanConnectorsShardState> loaded) {
    List<StreamRecord> todo = batch.stream().filter(r -> !loaded.covers(r.sequenceNumber())).toList();
    if (todo.size() < batch.size()) {
      telemetry.count(SKIPPED_RECORDS, batch.size() - todo.size(), Map.of("reason", "already_counted"));
    }
    return todo;
  }

  /** The connectors' parts in this batch, each on its part of the shard's state; their metrics are exported in this order. */
  private List<ConnectorBatch> open(SpanConnectorsShardState state) {
    List<ConnectorBatch> open = new ArrayList<>();
    spanMetrics.ifPresent(c -> open.add(c.newBatch()));
    emf.ifPresent(c -> open.add(c.newBatch()));
    serviceGraph.ifPresent(c -> open.add(c.newBatch(state.waiting())));
    return open;
  }

  /** From the earliest record's arrival to now. */
  private ConnectorBatch.Window window(List<StreamRecord> todo) {
    Instant start = todo.stream().map(StreamRecord::arrival).min(Instant::compareTo).orElseGet(clock::instant);
    return new ConnectorBatch.Window(start, clock.instant());
  }

  /**
   * Exports what the connectors made of the batch in one request; false when the export is to be
   * retried. When the backend refuses it for good, the records it came from go to the failure
   * destination.
   */
  private boolean export(List<ConnectorBatch> connectors, ConnectorBatch.Window window, List<StreamRecord> spanRecords) {
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    int points = 0;
    for (ConnectorBatch c : connectors) {
      ConnectorBatch.Metrics metrics = c.metrics(window);
      request.addAllResourceMetrics(metrics.resourceMetrics());
      points += metrics.dataPoints();
    }
    if (points == 0) {
      return true;
    }
    ExportResult result = exporter.export(Signal.METRICS, request.build().toByteArray(), points);
    switch (result.outcome()) {
      case SUCCESS -> telemetry.count(ExporterInstruments.sent(Signal.METRICS), points);
      case RETRYABLE -> {
        telemetry.count(ExporterInstruments.sendFailed(Signal.METRICS), points);
        return false;
      }
      case PERMANENT -> {
        telemetry.count(ExporterInstruments.sendFailed(Signal.METRICS), points);
        for (StreamRecord r : spanRecords) {
          failures.send(r, "span metrics from this record were refused by the backend: " + result.message());
        }
      }
    }
    return true;
  }
}
