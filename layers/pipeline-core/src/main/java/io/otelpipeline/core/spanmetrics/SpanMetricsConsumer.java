package io.otelpipeline.core.spanmetrics;

import com.google.protobuf.InvalidProtocolBufferException;
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
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.record.RecordFormatException;
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
 */
public final class SpanMetricsConsumer {
  private static final HexFormat HEX = HexFormat.of();

  private final Optional<SpanMetricsConfig> spanMetrics;
  private final Optional<ServiceGraphConfig> serviceGraph;
  private final SpanLedger ledger;
  private final PendingEdgeStore pending;
  private final SignalExporter exporter;
  private final FailureDestination failures;
  private final Telemetry telemetry;
  private final Clock clock;

  public SpanMetricsConsumer(
      Optional<SpanMetricsConfig> spanMetrics,
      Optional<ServiceGraphConfig> serviceGraph,
      SpanLedger ledger,
      PendingEdgeStore pending,
      SignalExporter exporter,
      FailureDestination failures,
      Telemetry telemetry,
      Clock clock) {
    spanMetrics.ifPresent(c -> requireDelta(c.temporality(), "connectors.spanmetrics.aggregation_temporality"));
    serviceGraph.ifPresent(c -> requireDelta(c.temporality(), "connectors.servicegraph.aggregation_temporality"));
    this.spanMetrics = spanMetrics;
    this.serviceGraph = serviceGraph;
    this.ledger = ledger;
    this.pending = pending;
    this.exporter = exporter;
    this.failures = failures;
    this.telemetry = telemetry;
    this.clock = clock;
  }

  /**
   * Cumulative series need running totals shared by every shard, which this consumer does not
   * keep: it says so at start rather than exporting per-invocation totals labelled cumulative.
   */
  private static void requireDelta(io.otelpipeline.core.metrics.Temporality temporality, String key) {
    if (temporality != io.otelpipeline.core.metrics.Temporality.DELTA) {
      throw new io.otelpipeline.core.config.ConfigException(
          key + ": AGGREGATION_TEMPORALITY_CUMULATIVE is not supported by the span-metrics function; use"
              + " AGGREGATION_TEMPORALITY_DELTA (the default) and let the backend or a Collector's deltatocumulative processor add up");
    }
  }

  /** A record's identity across retries: its shard and sequence number. */
  public static String recordId(StreamRecord record) {
    return record.shardId() + "/" + record.sequenceNumber();
  }

  private record Decoded(StreamRecord record, ExportTraceServiceRequest request) {}

  public BatchResult consume(List<StreamRecord> records) {
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

    Optional<SpanMetricsAggregator> aggregator = spanMetrics.map(SpanMetricsAggregator::create);
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
            aggregator.ifPresent(a -> a.add(resource, span, AdjustedCount.of(span.getTraceState())));
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
    if (aggregator.isPresent() && !aggregator.get().isEmpty()) {
      request.addAllResourceMetrics(aggregator.get().toResourceMetrics(startNanos, endNanos));
      points += aggregator.get().dataPointCount();
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
    try {
      RecordEnvelope envelope = RecordEnvelope.parse(record.data());
      if (envelope.signal() != Signal.TRACES) {
        failures.send(record, "record holds " + envelope.signal() + ", not traces; the traces stream carries spans only");
        return Optional.empty();
      }
      return Optional.of(ExportTraceServiceRequest.parseFrom(envelope.otlpRequest()));
    } catch (RecordFormatException e) {
      failures.send(record, e.getMessage());
    } catch (InvalidProtocolBufferException e) {
      failures.send(record, "record payload is not an OTLP ExportTraceServiceRequest: " + e.getMessage());
    }
    telemetry.count("otelcol_connector_spanmetrics_refused_records", 1);
    return Optional.empty();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
