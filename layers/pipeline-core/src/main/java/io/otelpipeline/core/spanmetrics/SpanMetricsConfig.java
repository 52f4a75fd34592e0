package io.otelpipeline.core.spanmetrics;

import io.otelpipeline.core.config.ComponentCatalog;
import io.otelpipeline.core.config.ConfigBlock;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.metrics.HistogramSpec;
import io.otelpipeline.core.metrics.Temporality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code connectors: spanmetrics} block, decoded once with the Collector's keys and defaults.
 *
 * <p>One default differs from the Collector's: {@code aggregation_temporality} is
 * {@code AGGREGATION_TEMPORALITY_DELTA}, because each invocation exports exactly what it
 * aggregated from its own batch; deltas from any number of shards and invocations then add up in
 * the backend, with no state shared between them. Cumulative is available for backends that need
 * it (Prometheus): running totals shared by every shard, kept in DynamoDB by
 * {@link SeriesTotals}, with explicit buckets.
 */
public record SpanMetricsConfig(
    HistogramSpec histogram,
    boolean histogramDisabled,
    DurationUnit unit,
    List<Dimension> dimensions,
    List<String> excludeDimensions,
    boolean exemplarsEnabled,
    int exemplarsPerDataPoint,
    boolean eventsEnabled,
    List<Dimension> eventDimensions,
    int cardinalityLimit,
    String namespace,
    Temporality temporality,
    List<String> notes) {

  public static final String DEFAULT_NAMESPACE = "traces.span.metrics";
  /** The Collector's default explicit buckets. */
  public static final List<Duration> DEFAULT_BUCKETS =
      List.of(
          Duration.ofMillis(2), Duration.ofMillis(4), Duration.ofMillis(6), Duration.ofMillis(8),
          Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
          Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofSeconds(1), Duration.ofMillis(1400),
          Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15));
  /** The dimensions every series has unless excluded. */
  public static final List<String> DEFAULT_DIMENSIONS = List.of("service.name", "span.name", "span.kind", "status.code");
  /** Exemplars kept per data point when exemplars are enabled and no {@code max_per_data_point} is set. */
  public static final int DEFAULT_EXEMPLARS_PER_DATA_POINT = 5;
  /**
   * Keys accepted as the Collector accepts them that change nothing here, with the reason: there
   * is no long-lived process for flushing, caches or expiry, and each series is kept on its span's
   * own resource.
   */
  public static final Map<String, String> NOT_APPLICABLE_KEYS =
      Map.of(
          "metrics_flush_interval", "each invocation exports what its batch aggregated; the event source's batching window sets the pace",
          "dimensions_cache_size", "no process lives long enough to cache dimensions",
          "resource_metrics_cache_size", "no process lives long enough to cache resources",
          "metrics_expiration", "delta series live for one invocation; cumulative series expire after 30 days without spans",
          "metric_timestamp_cache_size", "no process lives long enough to cache timestamps",
          "resource_metrics_key_attributes", "every series is already kept on its span's whole resource, so no resource change splits it",
          "include_instrumentation_scope", "series are not split by instrumentation scope",
          "add_resource_attributes", "every series already carries its span's resource attributes on its resource");

  private static final Set<String> KEYS =
      Set.of(
          "histogram", "dimensions", "exclude_dimensions", "exemplars", "events", "aggregation_cardinality_limit",
          "namespace", "aggregation_temporality");

  public SpanMetricsConfig {
    dimensions = List.copyOf(dimensions);
    excludeDimensions = List.copyOf(excludeDimensions);
    eventDimensions = List.copyOf(eventDimensions);
    notes = List.copyOf(notes);
  }

  /** A dimension taken from span (then resource) attributes, with the value used when neither has it. */
  public record Dimension(String name, Optional<String> defaultValue) {}

  public enum DurationUnit {
    MILLISECONDS("ms", 1_000_000d),
    SECONDS("s", 1_000_000_000d);

    private final String symbol;
    private final double nanosPerUnit;

    DurationUnit(String symbol, double nanosPerUnit) {
      this.symbol = symbol;
      this.nanosPerUnit = nanosPerUnit;
    }

    public String symbol() {
      return symbol;
    }

    public double fromNanos(long nanos) {
      return nanos / nanosPerUnit;
    }
  }

  public static SpanMetricsConfig defaults() {
    return parse(ConfigBlock.of("connectors.spanmetrics", Map.of()));
  }

  /** The block of the first {@code spanmetrics} connector, if the configuration declares one. */
  public static Optional<SpanMetricsConfig> from(PipelineConfig config) {
    return config.decode("connectors", ComponentCatalog.SPAN_METRICS, SpanMetricsConfig::parse);
  }

  public static SpanMetricsConfig parse(ConfigBlock block) {
    Set<String> known = new java.util.HashSet<>(KEYS);
    known.addAll(NOT_APPLICABLE_KEYS.keySet());
    block.onlyKeys(known);

    ConfigBlock histogramBlock = block.block("histogram");
    histogramBlock.onlyKeys(Set.of("disable", "unit", "explicit", "exponential", "dimensions"));
    if (histogramBlock.has("dimensions")) {
      throw histogramBlock.error("dimensions", "histogram-only dimensions are not supported; use connectors.spanmetrics.dimensions");
    }
    String unitText = histogramBlock.string("unit", "ms");
    DurationUnit unit =
        switch (unitText) {
          case "ms" -> DurationUnit.MILLISECONDS;
          case "s" -> DurationUnit.SECONDS;
          default -> throw histogramBlock.error("unit", "'" + unitText + "' is not ms or s");
        };
    if (histogramBlock.has("explicit") && histogramBlock.has("exponential")) {
      throw histogramBlock.error("explicit", "use either explicit or exponential, not both");
    }
    HistogramSpec histogram;
    if (histogramBlock.has("exponential")) {
      ConfigBlock exponential = histogramBlock.block("exponential");
      exponential.onlyKeys(Set.of("max_size"));
      histogram =
          new HistogramSpec.Exponential(
              (int) exponential.integer("max_size", HistogramSpec.Exponential.DEFAULT_MAX_SIZE, 2, 16_384));
    } else {
      ConfigBlock explicit = histogramBlock.block("explicit");
      explicit.onlyKeys(Set.of("buckets"));
      List<Duration> buckets = explicit.has("buckets") ? explicit.durations("buckets") : DEFAULT_BUCKETS;
      List<Double> bounds = new ArrayList<>();
      for (int i = 0; i < buckets.size(); i++) {
        double bound = unit.fromNanos(buckets.get(i).toNanos());
        if (i > 0 && bound <= bounds.get(i - 1)) {
          throw new ConfigException(explicit.path() + ".buckets[" + i + "]: " + buckets.get(i) + " must be larger than the bucket before it");
        }
        bounds.add(bound);
      }
      histogram = new HistogramSpec.Explicit(bounds);
    }

    List<Dimension> dimensions = dimensions(block, "dimensions");
    List<String> exclude = block.strings("exclude_dimensions", List.of());
    for (Dimension d : dimensions) {
      if (DEFAULT_DIMENSIONS.contains(d.name()) && !exclude.contains(d.name())) {
        throw new ConfigException(block.path() + ".dimensions: '" + d.name() + "' is already a default dimension");
      }
    }

    ConfigBlock exemplars = block.block("exemplars");
    exemplars.onlyKeys(Set.of("enabled", "max_per_data_point"));
    ConfigBlock events = block.block("events");
    events.onlyKeys(Set.of("enabled", "dimensions"));
    boolean eventsEnabled = events.bool("enabled", false);
    List<Dimension> eventDimensions = dimensions(events, "dimensions");
    if (eventsEnabled && eventDimensions.isEmpty()) {
      throw events.error("dimensions", "at least one event dimension is required when events are enabled");
    }

    String namespace = block.string("namespace", DEFAULT_NAMESPACE);
    Temporality temporality =
        Temporality.parse(
            block.string("aggregation_temporality", "AGGREGATION_TEMPORALITY_DELTA"), block.path() + ".aggregation_temporality");
    if (temporality == Temporality.CUMULATIVE && histogram instanceof HistogramSpec.Exponential) {
      throw histogramBlock.error(
          "exponential",
          "exponential histograms are not kept as shared running totals; with AGGREGATION_TEMPORALITY_CUMULATIVE use explicit buckets");
    }
    return new SpanMetricsConfig(
        histogram,
        histogramBlock.bool("disable", false),
        unit,
        dimensions,
        exclude,
        exemplars.bool("enabled", false),
        (int) exemplars.integer("max_per_data_point", DEFAULT_EXEMPLARS_PER_DATA_POINT, 1, 1_000),
        eventsEnabled,
        eventDimensions,
        (int) block.integer("aggregation_cardinality_limit", 0, 0, Integer.MAX_VALUE),
        namespace,
        temporality,
        block.notApplicable(NOT_APPLICABLE_KEYS));
  }

  private static List<Dimension> dimensions(ConfigBlock block, String key) {
    List<Dimension> out = new ArrayList<>();
    for (ConfigBlock d : block.blocks(key)) {
      d.onlyKeys(Set.of("name", "default"));
      out.add(new Dimension(d.requiredString("name"), d.optionalString("default")));
    }
    return List.copyOf(out);
  }

  /** The full metric name under the namespace: {@code traces.span.metrics.calls}. */
  public String metricName(String name) {
    return namespace.isEmpty() ? name : namespace + "." + name;
  }

  /** The default dimensions left after {@code exclude_dimensions}. */
  public List<String> defaultDimensions() {
    return DEFAULT_DIMENSIONS.stream().filter(d -> !excludeDimensions.contains(d)).toList();
  }
}
