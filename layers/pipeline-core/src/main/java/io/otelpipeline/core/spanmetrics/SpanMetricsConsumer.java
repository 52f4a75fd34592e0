package io.otelpipeline.core.spanmetrics;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.consume.BatchResult;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.consume.TraceRecordReader;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.metrics.Temporality;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.partition.HashKey;
import io.otelpipeline.core.record.Tick;
import io.otelpipeline.core.servicegraph.EdgePairing;
import io.otelpipeline.core.servicegraph.ServiceGraphConfig;
import io.otelpipeline.core.servicegraph.ServiceGraphMetrics;
import io.otelpipeline.core.shardstate.ShardStateConflict;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.spans.SeenSpans;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one batch of span records of a shard into span metrics and service-graph metrics, as a
 * sequential processor of that shard with checkpointed state ({@link SpanMetricsShardState}).
 *
 * <p>Per invocation: load the shard's state (fresh for a new shard; a child shard after a reshard
 * starts from what its parents left of its own hash keys), skip the records the state already
 * covers (a retried batch adds nothing twice), take in the rest in order (ticks only move the
 * shard's stream time), export, then save the state with the last record's sequence number.
 *
 * <p>Exactly once, as far as the state can make it: a record the saved state covers is skipped; a
 * span id seen recently (by {@link SeenSpans.Limits}) is not counted again; a retryable export
 * failure saves nothing and fails the batch from its first uncovered record, so the retry starts
 * from the same state; a {@link ShardStateConflict} (another invocation saved first) fails it the
 * same way, and the retry starts from the newer state. The one window left is a crash between the
 * backend accepting the export and the save that follows it: the batch is then counted again (at
 * least once, never lost), as it was with the ledger this state replaces.
 *
 * <p>With cumulative span metrics, each record's series are added to the shared
 * {@link SeriesTotals} once (a retry adds nothing, in any batch shape), then the current totals of
 * every series the batch touched are read back and exported: a retry after a failed export
 * exports the totals again, which cumulative temporality makes harmless, and the crash window
 * above does not exist for them.
 */
public final class SpanMetricsConsumer {
  private final Optional<SpanMetricsConfig> spanMetrics;
  private final Optional<ServiceGraphConfig> serviceGraph;
  private final ShardStates<SpanMetricsShardState> states;
  private final ShardLineage lineage;
  private final SeenSpans.Limits dedup;
  private final Optional<CumulativeSpanMetrics> cumulative;
  private final Optional<SeriesTotals> totals;
  private final Optional<CloudWatchRedMetrics> emf;
  private final SignalExporter exporter;
  private final FailureDestination failures;
  private final TraceRecordReader reader;
  private final Telemetry telemetry;
  private final Clock clock;

  /**
   * @param totals the shared series totals; needed (and only used) with cumulative span metrics
   */
  public SpanMetricsConsumer(
      Optional<SpanMetricsConfig> spanMetrics,
      Optional<ServiceGraphConfig> serviceGraph,
      ShardStates<SpanMetricsShardState> states,
      ShardLineage lineage,
      SeenSpans.Limits dedup,
      Optional<SeriesTotals> totals,
      Optional<CloudWatchRedMetrics> emf,
      SignalExporter exporter,
      FailureDestination failures,
      Telemetry telemetry,
      Clock clock) {
    serviceGraph.ifPresent(c -> requireDelta(c.temporality(), "connectors.servicegraph.aggregation_temporality"));
    this.spanMetrics = spanMetrics;
    this.serviceGraph = serviceGraph;
    this.states = states;
    this.lineage = lineage;
    this.dedup = dedup;
    this.cumulative = spanMetrics.filter(c -> c.temporality() == Temporality.CUMULATIVE).map(CumulativeSpanMetrics::create);
    if (cumulative.isPresent() && totals.isEmpty()) {
      throw new ConfigException(
          "connectors.spanmetrics.aggregation_temporality: AGGREGATION_TEMPORALITY_CUMULATIVE keeps running totals in the span-metrics"
              + " table, and none is configured (SPAN_METRICS_TABLE)");
    }
    this.totals = totals;
    this.emf = emf;
    this.exporter = exporter;
    this.failures = failures;
    this.reader = new TraceRecordReader(failures, "span-metrics");
    this.telemetry = telemetry;
    this.clock = clock;
  }

  /** Whether this configuration keeps cumulative totals, and so needs the span-metrics table. */
  public static boolean needsSeriesTotals(Optional<SpanMetricsConfig> spanMetrics) {
    return spanMetrics.map(c -> c.temporality() == Temporality.CUMULATIVE).orElse(false);
  }

  /**
   * Service-graph edges are made by pairs of records and by expiry, not by one record, so they
   * cannot be added to shared totals once per record: the graph says so at start rather than
   * exporting per-invocation totals labelled cumulative.
   */
  private static void requireDelta(Temporality temporality, String key) {
    if (temporality != Temporality.DELTA) {
      throw new ConfigException(
          key + ": AGGREGATION_TEMPORALITY_CUMULATIVE is not supported for the service graph (span metrics support it); use"
              + " AGGREGATION_TEMPORALITY_DELTA (the default) and let the backend or a Collector's deltatocumulative processor add up");
    }
  }

  /** A record's identity across retries: its shard and sequence number. */
  public static String recordId(StreamRecord record) {
    return record.shardId() + "/" + record.sequenceNumber();
  }

  /** Handles a batch of one shard's records, in the shard's order. */
  public BatchResult consume(List<StreamRecord> batch) {
    if (batch.isEmpty()) {
      return BatchResult.allHandled();
    }
    ShardLineage.Origin origin = lineage.origin(batch.get(0).streamArn(), batch.get(0).shardId());
    ShardStates.Loaded<SpanMetricsShardState> loaded = states.load(batch.get(0).shardId(), origin.parents(),
        parents -> SpanMetricsShardState.inherit(parents, traceHex -> origin.owns(HashKey.ofPartitionKey(traceHex))));
    List<StreamRecord> todo = batch.stream().filter(r -> !loaded.covers(r.sequenceNumber())).toList();
    if (todo.size() < batch.size()) {
      telemetry.count("otelcol_connector_spanmetrics_skipped_records", batch.size() - todo.size(), Map.of("reason", "already_counted"));
    }
    if (todo.isEmpty()) {
      return BatchResult.allHandled();
    }
    SpanMetricsShardState state = loaded.state();

    // Cumulative totals are added once per record, so each record gets its own aggregate.
    Map<String, SpanMetricsAggregator> aggregators = new LinkedHashMap<>();
    Optional<CloudWatchRedMetrics.Batch> red = emf.map(CloudWatchRedMetrics::newBatch);
    Optional<EdgePairing> pairing = serviceGraph.map(c -> EdgePairing.create(c, state.waiting()));
    List<StreamRecord> spanRecords = new ArrayList<>();
    long counted = 0;
    long duplicates = 0;
    long elsewhere = 0;
    for (StreamRecord r : todo) {
      Instant now = state.advanceTo(r.arrival());
      state.seen().forgetBefore(now, dedup);
      pairing.ifPresent(p -> p.expire(now));
      if (Tick.is(r.data())) {
        continue;
      }
      Optional<ExportTraceServiceRequest> request = decode(r);
      if (request.isEmpty()) {
        continue;
      }
      spanRecords.add(r);
      String id = recordId(r);
      Map<ByteString, Boolean> owned = new HashMap<>();
      for (ResourceSpans rs : request.get().getResourceSpansList()) {
        Resource resource = rs.getResource();
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            if (!owned.computeIfAbsent(span.getTraceId(), t -> origin.ownsTrace(t.toByteArray()))) {
              // landed here on a shard map older than a reshard; ingest wrote it again to the shard that owns it
              elsewhere++;
              continue;
            }
            if (!state.seen().add(span.getTraceId().toByteArray(), span.getSpanId().toByteArray(), now, dedup)) {
              duplicates++;
              continue;
            }
            counted++;
            long adjusted = AdjustedCount.of(span.getTraceState());
            spanMetrics.ifPresent(
                c -> aggregators.computeIfAbsent(cumulative.isPresent() ? id : "batch", k -> SpanMetricsAggregator.create(c))
                    .add(resource, span, adjusted));
            red.ifPresent(b -> b.add(resource, span, adjusted));
            pairing.ifPresent(p -> p.add(resource, span, now));
          }
        }
      }
    }
    Optional<EdgePairing.Result> edges = pairing.map(EdgePairing::result);

    Instant start = todo.stream().map(StreamRecord::arrival).min(Instant::compareTo).orElseGet(clock::instant);
    Instant end = clock.instant();
    long startNanos = nanos(start.isAfter(end) ? end : start);
    long endNanos = nanos(end);
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    int points = 0;
    if (cumulative.isPresent() && !aggregators.isEmpty()) {
      List<SeriesTotals.RecordDeltas> deltas = new ArrayList<>();
      Set<String> touched = new LinkedHashSet<>();
      aggregators.forEach(
          (recordId, a) -> {
            List<SeriesCounts> series = cumulative.get().deltas(a);
            series.forEach(s -> touched.add(s.key()));
            deltas.add(new SeriesTotals.RecordDeltas(recordId, series));
          });
      totals.get().add(deltas, end);
      List<SeriesCounts> current = totals.get().read(touched);
      request.addAllResourceMetrics(cumulative.get().toResourceMetrics(current, endNanos));
      points += cumulative.get().dataPointCount(current);
    } else {
      for (SpanMetricsAggregator a : aggregators.values()) {
        if (!a.isEmpty()) {
          request.addAllResourceMetrics(a.toResourceMetrics(startNanos, endNanos));
          points += a.dataPointCount();
        }
      }
    }
    if (edges.isPresent()) {
      ServiceGraphMetrics graph = ServiceGraphMetrics.create(serviceGraph.get());
      graph.add(edges.get());
      if (!graph.isEmpty()) {
        request.addResourceMetrics(graph.toResourceMetrics(startNanos, endNanos));
        points += graph.dataPointCount();
      }
    }

    if (points > 0) {
      ExportResult result = exporter.export(Signal.METRICS, request.build().toByteArray(), points);
      if (result.outcome() == ExportResult.Outcome.RETRYABLE) {
        // nothing is saved: the retry starts from the state this invocation loaded
        telemetry.count("otelcol_exporter_send_failed_metric_points", points);
        return BatchResult.failedFrom(todo.get(0).sequenceNumber());
      }
      if (result.outcome() == ExportResult.Outcome.PERMANENT) {
        telemetry.count("otelcol_exporter_send_failed_metric_points", points);
        for (StreamRecord r : spanRecords) {
          failures.send(r, "span metrics from this record were refused by the backend: " + result.message());
        }
      } else {
        telemetry.count("otelcol_exporter_sent_metric_points", points);
      }
    }
    red.ifPresent(CloudWatchRedMetrics.Batch::emit);
    try {
      states.save(loaded, batch.get(batch.size() - 1).sequenceNumber(), state);
    } catch (ShardStateConflict e) {
      System.out.println("span-metrics: " + e.getMessage());
      telemetry.count("otelpipeline_shard_state_conflicts", 1);
      return BatchResult.failedFrom(todo.get(0).sequenceNumber());
    }

    telemetry.count("otelcol_connector_spanmetrics_spans", counted);
    telemetry.count("otelcol_connector_spanmetrics_duplicate_spans", duplicates);
    if (elsewhere > 0) {
      telemetry.count("otelpipeline_spanmetrics_spans_of_other_shards", elsewhere);
    }
    edges.ifPresent(
        e -> {
          telemetry.count("otelcol_connector_servicegraph_total_edges", e.edges().size());
          telemetry.count("otelcol_connector_servicegraph_expired_edges", e.unpaired().size());
          telemetry.count("otelcol_connector_servicegraph_dropped_spans", e.droppedSpans());
        });
    return BatchResult.allHandled();
  }

  private Optional<ExportTraceServiceRequest> decode(StreamRecord record) {
    TraceRecordReader.Read read = reader.read(record);
    if (read.setAside()) {
      telemetry.count("otelcol_connector_spanmetrics_refused_records", 1);
    }
    return read.spans();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
