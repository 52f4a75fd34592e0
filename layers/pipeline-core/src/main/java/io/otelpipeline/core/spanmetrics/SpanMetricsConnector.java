package io.otelpipeline.core.spanmetrics;

import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.metrics.Temporality;
import io.otelpipeline.core.spans.ConnectorBatch;
import io.otelpipeline.core.spans.ShardSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The spanmetrics connector: a batch's spans aggregated into the {@code calls}, {@code duration}
 * and {@code events} series ({@link SpanMetricsAggregator}), each span counted by its adjusted count.
 *
 * <p>With delta temporality a batch exports what its spans added. With cumulative temporality each
 * record's series are added to the shared {@link SeriesTotals} once (a retry adds nothing, in any
 * batch shape), then the current totals of every series the batch touched are read back and
 * exported: a retry after a failed export exports the totals again, which cumulative temporality
 * makes harmless.
 */
public final class SpanMetricsConnector {
  private final SpanMetricsConfig config;
  private final Optional<CumulativeSpanMetrics> cumulative;
  private final Optional<SeriesTotals> totals;

  private SpanMetricsConnector(SpanMetricsConfig config, Optional<CumulativeSpanMetrics> cumulative, Optional<SeriesTotals> totals) {
    this.config = config;
    this.cumulative = cumulative;
    this.totals = totals;
  }

  /**
   * @param totals the shared series totals; needed (and only used) with cumulative temporality
   */
  public static SpanMetricsConnector create(SpanMetricsConfig config, Optional<SeriesTotals> totals) {
    Optional<CumulativeSpanMetrics> cumulative =
        Optional.of(config).filter(c -> c.temporality() == Temporality.CUMULATIVE).map(CumulativeSpanMetrics::create);
    if (cumulative.isPresent() && totals.isEmpty()) {
      throw new ConfigException(
          "connectors.spanmetrics.aggregation_temporality: AGGREGATION_TEMPORALITY_CUMULATIVE keeps running totals in the span-metrics"
              + " table, and none is configured (SPAN_METRICS_TABLE)");
    }
    return new SpanMetricsConnector(config, cumulative, totals);
  }

  /** Whether this configuration keeps cumulative totals, and so needs the span-metrics table. */
  public static boolean needsSeriesTotals(Optional<SpanMetricsConfig> spanMetrics) {
    return spanMetrics.map(c -> c.temporality() == Temporality.CUMULATIVE).orElse(false);
  }

  public ConnectorBatch newBatch() {
    return new Batch();
  }

  private final class Batch implements ConnectorBatch {
    /** Cumulative totals are added once per record, so each record gets its own aggregate; a delta batch has one. */
    private final Map<String, SpanMetricsAggregator> aggregators = new LinkedHashMap<>();

    @Override
    public void accept(ShardSpan span) {
      aggregators
          .computeIfAbsent(cumulative.isPresent() ? span.recordId() : "batch", k -> SpanMetricsAggregator.create(config))
          .add(span.resource(), span.span(), AdjustedCount.of(span.span().getTraceState()));
    }

    @Override
    public Metrics metrics(Window window) {
      return cumulative.isPresent() && !aggregators.isEmpty() ? totals(window) : deltas(window);
    }

    private Metrics deltas(Window window) {
      List<ResourceMetrics> out = new ArrayList<>();
      int points = 0;
      for (SpanMetricsAggregator a : aggregators.values()) {
        if (!a.isEmpty()) {
          out.addAll(a.toResourceMetrics(window.startNanos(), window.endNanos()));
          points += a.dataPointCount();
        }
      }
      return new Metrics(out, points);
    }

    private Metrics totals(Window window) {
      List<SeriesTotals.RecordDeltas> deltas = new ArrayList<>();
      Set<String> touched = new LinkedHashSet<>();
      aggregators.forEach(
          (recordId, a) -> {
            List<SeriesCounts> series = cumulative.get().deltas(a);
            series.forEach(s -> touched.add(s.key()));
            deltas.add(new SeriesTotals.RecordDeltas(recordId, series));
          });
      totals.get().add(deltas, window.end());
      List<SeriesCounts> current = totals.get().read(touched);
      return new Metrics(cumulative.get().toResourceMetrics(current, window.endNanos()), cumulative.get().dataPointCount(current));
    }
  }
}
