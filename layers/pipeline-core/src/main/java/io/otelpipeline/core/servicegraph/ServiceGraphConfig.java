package io.otelpipeline.core.servicegraph;

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
 * The {@code connectors: servicegraph} block, decoded once with the Collector's keys and defaults.
 *
 * <p>{@code store.ttl} is how long a client or server half waits in its shard's state for its
 * other half, in the shard's stream time; {@code store.max_items} bounds how many halves wait per
 * shard (the rest are counted as dropped, as the Collector counts spans that do not fit its store).
 */
public record ServiceGraphConfig(
    HistogramSpec latencyHistogram,
    List<String> dimensions,
    Duration storeTtl,
    int storeMaxItems,
    List<String> virtualNodePeerAttributes,
    boolean virtualNodeExtraLabel,
    List<String> databaseNameAttributes,
    Temporality temporality,
    List<String> notes) {

  /** Every metric name starts with this, as the Collector's and Tempo's do. */
  public static final String METRIC_PREFIX = "traces_service_graph";
  /** The Collector's default latency buckets, in seconds. */
  public static final List<Double> DEFAULT_LATENCY_BUCKETS =
      List.of(0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.4, 2.0, 5.0, 10.0, 15.0);
  public static final List<String> DEFAULT_PEER_ATTRIBUTES = List.of("peer.service", "db.name", "db.system");
  public static final List<String> DEFAULT_DATABASE_NAME_ATTRIBUTES = List.of("db.name");
  public static final Duration DEFAULT_STORE_TTL = Duration.ofSeconds(2);
  public static final int DEFAULT_STORE_MAX_ITEMS = 1000;
  /** Keys accepted as the Collector accepts them that change nothing here, with the reason. */
  public static final Map<String, String> NOT_APPLICABLE_KEYS =
      Map.of(
          "cache_loop", "no process lives long enough to run the loop; waiting halves expire by store.ttl in the shard's stream time, as each record or tick moves it",
          "store_expiration_loop", "no process lives long enough to run the loop; waiting halves expire by store.ttl in the shard's stream time, as each record or tick moves it",
          "metrics_exporter", "deprecated in the Collector too: the pipelines decide where the metrics go",
          "metrics_timestamp_offset", "each invocation's points carry its batch's own time window",
          "metrics_flush_interval", "each invocation exports what its batch paired; the event source's batching window sets the pace");

  private static final Set<String> KEYS =
      Set.of(
          "latency_histogram_buckets", "exponential_histogram_max_size", "dimensions", "store",
          "virtual_node_peer_attributes", "virtual_node_extra_label", "database_name_attribute",
          "database_name_attributes", "aggregation_temporality");

  public ServiceGraphConfig {
    dimensions = List.copyOf(dimensions);
    notes = List.copyOf(notes);
    virtualNodePeerAttributes = List.copyOf(virtualNodePeerAttributes);
    databaseNameAttributes = List.copyOf(databaseNameAttributes);
  }

  public static ServiceGraphConfig defaults() {
    return parse(ConfigBlock.of("connectors.servicegraph", Map.of()));
  }

  public static Optional<ServiceGraphConfig> from(PipelineConfig config) {
    return config.decode("connectors", ComponentCatalog.SERVICE_GRAPH, ServiceGraphConfig::parse);
  }

  public static ServiceGraphConfig parse(ConfigBlock block) {
    Set<String> known = new java.util.HashSet<>(KEYS);
    known.addAll(NOT_APPLICABLE_KEYS.keySet());
    block.onlyKeys(known);
    if (block.has("latency_histogram_buckets") && block.has("exponential_histogram_max_size")) {
      throw block.error("exponential_histogram_max_size", "use either latency_histogram_buckets or exponential_histogram_max_size, not both");
    }
    HistogramSpec histogram;
    if (block.has("exponential_histogram_max_size")) {
      histogram = new HistogramSpec.Exponential((int) block.integer("exponential_histogram_max_size", 0, 2, 16_384));
    } else if (block.has("latency_histogram_buckets")) {
      List<Duration> buckets = block.durations("latency_histogram_buckets");
      List<Double> bounds = new ArrayList<>();
      for (int i = 0; i < buckets.size(); i++) {
        double seconds = buckets.get(i).toNanos() / 1e9;
        if (i > 0 && seconds <= bounds.get(i - 1)) {
          throw new ConfigException(
              block.path() + ".latency_histogram_buckets[" + i + "]: " + buckets.get(i) + " must be larger than the bucket before it");
        }
        bounds.add(seconds);
      }
      histogram = new HistogramSpec.Explicit(bounds);
    } else {
      histogram = new HistogramSpec.Explicit(DEFAULT_LATENCY_BUCKETS);
    }
    ConfigBlock store = block.block("store");
    store.onlyKeys(Set.of("ttl", "max_items"));
    Duration ttl = store.duration("ttl", DEFAULT_STORE_TTL);
    if (ttl.isZero() || ttl.isNegative()) {
      throw store.error("ttl", "must be positive");
    }
    List<String> databaseNames =
        block.has("database_name_attribute")
            ? List.of(block.string("database_name_attribute", ""))
            : block.strings("database_name_attributes", DEFAULT_DATABASE_NAME_ATTRIBUTES);
    return new ServiceGraphConfig(
        histogram,
        block.strings("dimensions", List.of()),
        ttl,
        (int) store.integer("max_items", DEFAULT_STORE_MAX_ITEMS, 1, 1_000_000),
        block.strings("virtual_node_peer_attributes", DEFAULT_PEER_ATTRIBUTES),
        block.bool("virtual_node_extra_label", false),
        databaseNames,
        Temporality.parse(
            block.string("aggregation_temporality", "AGGREGATION_TEMPORALITY_DELTA"),
            block.path() + ".aggregation_temporality"),
        block.notApplicable(NOT_APPLICABLE_KEYS));
  }
}
