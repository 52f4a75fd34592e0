package io.otelpipeline.core.connectors;

import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.servicegraph.ServiceGraphConfig;
import io.otelpipeline.core.shardstate.ShardStateLocation;
import io.otelpipeline.core.spanmetrics.CloudWatchRedMetrics;
import io.otelpipeline.core.spanmetrics.SpanMetricsConnector;
import io.otelpipeline.core.spanmetrics.SpanMetricsConfig;
import io.otelpipeline.core.spans.SeenSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the span connectors are told, decoded and checked once at start from the pipeline
 * configuration and the environment together:
 * <ul>
 *   <li>the {@code spanmetrics} and {@code servicegraph} connectors of PIPELINE_CONFIG; with
 *       neither configured and no {@code service.pipelines} declared, both run with the
 *       Collector's defaults, as a pipeline with nothing said about them expects;
 *   <li>the deduplication window (SPANMETRICS_DEDUP_WINDOW, SPANMETRICS_DEDUP_MAX_SPANS);
 *   <li>the series table cumulative temporality needs (SPAN_METRICS_TABLE, required only then);
 *   <li>RED metrics to CloudWatch as EMF (SPANMETRICS_EMF, SPANMETRICS_EMF_NAMESPACE,
 *       SPANMETRICS_EMF_SPAN_NAME_LIMIT);
 *   <li>where the shard states live.
 * </ul>
 */
public record SpanConnectorsSettings(
    Optional<SpanMetricsConfig> spanMetrics,
    Optional<ServiceGraphConfig> serviceGraph,
    SeenSpans.Limits dedup,
    Optional<String> seriesTable,
    Optional<Emf> emf,
    ShardStateLocation states) {

  /** RED metrics as CloudWatch EMF: the namespace and how many span names keep their own series. */
  public record Emf(String namespace, int spanNameLimit) {}

  public static SpanConnectorsSettings from(FunctionEnvironment env, PipelineConfig config) {
    Optional<SpanMetricsConfig> spanMetrics = SpanMetricsConfig.from(config);
    Optional<ServiceGraphConfig> serviceGraph = ServiceGraphConfig.from(config);
    if (spanMetrics.isEmpty() && serviceGraph.isEmpty() && !config.pipelines().declared()) {
      spanMetrics = Optional.of(SpanMetricsConfig.defaults());
      serviceGraph = Optional.of(ServiceGraphConfig.defaults());
    }
    SeenSpans.Limits dedup = new SeenSpans.Limits(
        env.getDuration("SPANMETRICS_DEDUP_WINDOW", SeenSpans.Limits.DEFAULT.window()),
        env.getInt("SPANMETRICS_DEDUP_MAX_SPANS", SeenSpans.Limits.DEFAULT.maxSpans()));
    Optional<String> seriesTable =
        SpanMetricsConnector.needsSeriesTotals(spanMetrics) ? Optional.of(env.require("SPAN_METRICS_TABLE")) : Optional.empty();
    Optional<Emf> emf = env.getBoolean("SPANMETRICS_EMF", false)
        ? Optional.of(new Emf(
            env.getOrDefault("SPANMETRICS_EMF_NAMESPACE", CloudWatchRedMetrics.DEFAULT_NAMESPACE),
            env.getInt("SPANMETRICS_EMF_SPAN_NAME_LIMIT", CloudWatchRedMetrics.DEFAULT_SPAN_NAME_LIMIT)))
        : Optional.empty();
    return new SpanConnectorsSettings(spanMetrics, serviceGraph, dedup, seriesTable, emf, ShardStateLocation.from(env));
  }

  /** The start-up report: which connectors run, from which configuration, and what of theirs has no effect here. */
  public List<String> report(String source) {
    List<String> lines = new ArrayList<>();
    lines.add("spanmetrics " + (spanMetrics.isPresent() ? "on" : "off") + ", servicegraph " + (serviceGraph.isPresent() ? "on" : "off")
        + " (" + source + ")");
    spanMetrics.ifPresent(c -> lines.addAll(c.notes()));
    serviceGraph.ifPresent(c -> lines.addAll(c.notes()));
    return lines;
  }
}
