package io.otelpipeline.core.spanmetrics;

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
import io.otelpipeline.core.record.Tick;
import io.otelpipeline.core.servicegraph.EdgePairing;
import io.otelpipeline.core.servicegraph.PendingEdgeStore;
import io.otelpipeline.core.servicegraph.ServiceGraphConfig;
import io.otelpipeline.core.servicegraph.ServiceGraphMetrics;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one batch of span records into span metrics and service-graph metrics, exported once.
 *
 * <p>Exactly once, as far as the store can make it: records whose metrics were exported are
 * skipped when Lambda retries them; a span id seen before in another record is not counted again;
 * pairing and expiry are idempotent per record. The one window left is a crash between the
 * backend accepting the export and the ledger write that follows it: the batch is then counted
 * again (at least once, never lost).
 *
 * <p>With cumulative span metrics, each record's series are added to the shared
 * {@link SeriesTotals} once (a retry adds nothing, in any batch shape), then the current totals of
 * every series the batch touched are read back and exported: a retry after a failed export
 * exports the totals again, which cumulative temporality makes harmless, and the crash window
 * above does not exist for them.
 */
public final class SpanMetricsConsumer {
  private static final HexFormat HEX = HexFormat.of();

  private final Optional<SpanMetricsConfig> spanMetrics;
  private final Optional<ServiceGraphConfig> serviceGraph;
  private final SpanLedger ledger;
  private final PendingEdgeStore pending;
  private final Optional<CumulativeSpanMetrics> cumulative;
  private final SeriesTotals totals;
  private final Optional<CloudWatchRedMetrics> emf;
  private final SignalExporter exporter;
  private final FailureDestination failures;
  private final TraceRecordReader reader;
  private final Telemetry telemetry;
  private final Clock clock;

  public SpanMetricsConsumer(
      Optional<SpanMetricsConfig> spanMetrics,
      Optional<ServiceGraphConfig> serviceGraph,
      SpanLedger ledger,
      PendingEdgeStore pending,
      SeriesTotals totals,
      Optional<CloudWatchRedMetrics> emf,
      SignalExporter exporter,
      FailureDestination failures,
      Telemetry telemetry,
      Clock clock) {
    serviceGraph.ifPresent(c -> requireDelta(c.temporality(), "connectors.servicegraph.aggregation_temporality"));
    this.spanMetrics = spanMetrics;
    this.serviceGraph = serviceGraph;
    this.ledger = ledger;
    this.pending = pending;
    this.cumulative = spanMetrics.filter(c -> c.temporality() == Temporality.CUMULATIVE).map(CumulativeSpanMetrics::create);
    this.totals = totals;
    this.emf = emf;
    this.exporter = exporter;
    this.failures = failures;
    this.reader = new TraceRecordReader(failures, "span-metrics");
    this.telemetry = telemetry;
    this.clock = clock;
  }

  /**
   * Service-graph edges are made by pairs of records and by expiry sweeps, not by one record, so
   * they cannot be added to shared totals once per record: the graph says so at start rather
   * than exporting per-invocation totals labelled cumulative.
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

  private record Decoded(StreamRecord record, ExportTraceServiceRequest request) {}

  public BatchResult consume(List<StreamRecord> batch) {
    // ticks only move the sampler's time on: nothing to count, nothing for the ledger to remember
    List<StreamRecord> records = batch.stream().filter(r -> !Tick.is(r.data())).toList();
    if (records.isEmpty()) {
      return BatchResult.allHandled();
    }
    List<String> ids = records.stream().map(SpanMetricsConsumer::recordId).toList();
    Set<String> done = ledger.exported(ids);
    List<Decoded> decoded = new ArrayList<>();
    List<StreamRecord> todo = new ArrayList<>();
    for (StreamRecord r : records) {
      if (done.contains(recordId(r))) {
        telemetry.count("otelcol_connector_spanmetrics_skipped_records", 1, Map.of("reason", "already_exported"));
        continue;
      }
      todo.add(r);
      decode(r).ifPresent(request -> decoded.add(new Decoded(r, request)));
    }
    if (todo.isEmpty()) {
      return BatchResult.allHandled();
    }

    Map<String, Map<String, String>> firstSeen = new LinkedHashMap<>();
    long duplicatesInBatch = 0;
    for (Decoded d : decoded) {
      for (ResourceSpans rs : d.request().getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            String spanId = HEX.formatHex(span.getSpanId().toByteArray());
            String previous =
                firstSeen.computeIfAbsent(HEX.formatHex(span.getTraceId().toByteArray()), t -> new LinkedHashMap<>())
                    .putIfAbsent(spanId, recordId(d.record()));
            if (previous != null) {
              duplicatesInBatch++;
            }
          }
        }
      }
    }
    Set<String> owned = ledger.claim(firstSeen);

    // Cumulative totals are added once per record, so each record gets its own aggregate.
    Map<String, SpanMetricsAggregator> aggregators = new LinkedHashMap<>();
    Optional<CloudWatchRedMetrics.Batch> red = emf.map(CloudWatchRedMetrics::newBatch);
    Optional<EdgePairing> pairing = serviceGraph.map(c -> EdgePairing.create(c, pending, clock));
    long counted = 0;
    Set<String> countedSpans = new java.util.HashSet<>();
    for (Decoded d : decoded) {
      String id = recordId(d.record());
      for (ResourceSpans rs : d.request().getResourceSpansList()) {
        Resource resource = rs.getResource();
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            String traceId = HEX.formatHex(span.getTraceId().toByteArray());
            String spanId = HEX.formatHex(span.getSpanId().toByteArray());
            String key = traceId + ":" + spanId;
            if (!owned.contains(key) || !id.equals(firstSeen.get(traceId).get(spanId)) || !countedSpans.add(key)) {
              continue;
            }
            counted++;
            long adjusted = AdjustedCount.of(span.getTraceState());
            spanMetrics.ifPresent(
                c -> aggregators.computeIfAbsent(cumulative.isPresent() ? id : "batch", k -> SpanMetricsAggregator.create(c))
                    .add(resource, span, adjusted));
            red.ifPresent(r -> r.add(resource, span, adjusted));
            pairing.ifPresent(p -> p.add(resource, span, id));
          }
        }
      }
    }
    String batchClaim = recordId(todo.get(0));
    Optional<EdgePairing.Result> edges = pairing.map(p -> p.finish(batchClaim));

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
      totals.add(deltas, end);
      List<SeriesCounts> current = totals.read(touched);
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
        telemetry.count("otelcol_exporter_send_failed_metric_points", points);
        return BatchResult.failedFrom(todo.get(0).sequenceNumber());
      }
      if (result.outcome() == ExportResult.Outcome.PERMANENT) {
        telemetry.count("otelcol_exporter_send_failed_metric_points", points);
        for (StreamRecord r : todo) {
          failures.send(r, "span metrics from this record were refused by the backend: " + result.message());
        }
      } else {
        telemetry.count("otelcol_exporter_sent_metric_points", points);
      }
    }
    red.ifPresent(CloudWatchRedMetrics.Batch::emit);
    ledger.markExported(todo.stream().map(SpanMetricsConsumer::recordId).toList());
    edges.ifPresent(e -> pending.forget(e.leased(), batchClaim));

    telemetry.count("otelcol_connector_spanmetrics_spans", counted);
    telemetry.count("otelcol_connector_spanmetrics_duplicate_spans", duplicatesInBatch + (firstSeenCount(firstSeen) - owned.size()));
    edges.ifPresent(
        e -> {
          telemetry.count("otelcol_connector_servicegraph_total_edges", e.edges().size());
          telemetry.count("otelcol_connector_servicegraph_expired_edges", e.unpaired().size());
          telemetry.count("otelcol_connector_servicegraph_dropped_spans", e.droppedSpans());
        });
    return BatchResult.allHandled();
  }

  private static long firstSeenCount(Map<String, Map<String, String>> firstSeen) {
    long n = 0;
    for (Map<String, String> spans : firstSeen.values()) {
      n += spans.size();
    }
    return n;
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
