package io.otelpipeline.core.spanmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.metrics.HistogramSpec;
import io.otelpipeline.core.metrics.Temporality;
import io.otelpipeline.core.servicegraph.ServiceGraphConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpanMetricsConfigTest {
  private static PipelineConfig load(String resource) throws IOException {
    try (InputStream in = SpanMetricsConfigTest.class.getResourceAsStream(resource)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return PipelineConfig.parse(resource, text, new FunctionEnvironment(Map.of("METRICS_NAMESPACE", "red")));
    }
  }

  private static PipelineConfig yaml(String text) {
    return PipelineConfig.parse("test.yaml", text, new FunctionEnvironment(Map.of()));
  }

  @Test
  void decodesEverySpanMetricsKeyOfARealConfig() throws IOException {
    SpanMetricsConfig expected =
        new SpanMetricsConfig(
            new HistogramSpec.Explicit(List.of(0.0001, 0.001, 0.002, 0.006, 0.01, 0.1, 0.25)),
            false,
            SpanMetricsConfig.DurationUnit.SECONDS,
            List.of(
                new SpanMetricsConfig.Dimension("http.method", Optional.of("GET")),
                new SpanMetricsConfig.Dimension("http.status_code", Optional.empty())),
            List.of("status.code"),
            true,
            3,
            true,
            List.of(new SpanMetricsConfig.Dimension("exception.type", Optional.empty())),
            1500,
            "red",
            Temporality.CUMULATIVE,
            List.of("connectors.spanmetrics.metrics_flush_interval has no effect here: each invocation exports what its batch "
                + "aggregated; the event source's batching window sets the pace"));
    assertEquals(expected, SpanMetricsConfig.from(load("/spanmetrics/connectors.yaml")).orElseThrow());
  }

  @Test
  void decodesEveryServiceGraphKeyOfARealConfig() throws IOException {
    ServiceGraphConfig expected =
        new ServiceGraphConfig(
            new HistogramSpec.Explicit(List.of(0.1, 0.25, 1.0, 5.0, 10.0)),
            List.of("dimension-1", "dimension-2"),
            Duration.ofSeconds(30),
            500,
            List.of("peer.service", "server.address"),
            false,
            List.of("db.name"),
            Temporality.DELTA,
            List.of(
                "connectors.servicegraph.cache_loop has no effect here: no process lives long enough to run the loop; waiting "
                    + "halves expire by store.ttl in the shard's stream time, as each record or tick moves it",
                "connectors.servicegraph.store_expiration_loop has no effect here: no process lives long enough to run the loop; "
                    + "waiting halves expire by store.ttl in the shard's stream time, as each record or tick moves it"));
    assertEquals(expected, ServiceGraphConfig.from(load("/spanmetrics/connectors.yaml")).orElseThrow());
  }

  @Test
  void anEmptyBlockHasTheCollectorDefaultsExceptDeltaTemporality() {
    SpanMetricsConfig config = SpanMetricsConfig.from(yaml("connectors:\n  spanmetrics:\n")).orElseThrow();
    HistogramSpec.Explicit buckets = (HistogramSpec.Explicit) config.histogram();
    assertEquals(
        List.of(2.0, 4.0, 6.0, 8.0, 10.0, 50.0, 100.0, 200.0, 400.0, 800.0, 1000.0, 1400.0, 2000.0, 5000.0, 10000.0, 15000.0),
        buckets.bounds());
    assertEquals(SpanMetricsConfig.DurationUnit.MILLISECONDS, config.unit());
    assertEquals("traces.span.metrics", config.namespace());
    assertEquals("traces.span.metrics.calls", config.metricName("calls"));
    assertEquals(List.of("service.name", "span.name", "span.kind", "status.code"), config.defaultDimensions());
    assertEquals(Temporality.DELTA, config.temporality());
    assertEquals(0, config.cardinalityLimit());
    assertEquals(false, config.exemplarsEnabled());

    ServiceGraphConfig graph = ServiceGraphConfig.from(yaml("connectors:\n  servicegraph/edges:\n")).orElseThrow();
    assertEquals(ServiceGraphConfig.defaults(), graph);
    assertEquals(List.of("peer.service", "db.name", "db.system"), graph.virtualNodePeerAttributes());
    assertEquals(Duration.ofSeconds(2), graph.storeTtl());
    assertEquals(1000, graph.storeMaxItems());
  }

  @Test
  void exponentialHistogramTakesMaxSizeWithTheCollectorDefault() {
    SpanMetricsConfig sized =
        SpanMetricsConfig.from(yaml("connectors:\n  spanmetrics:\n    histogram:\n      exponential:\n        max_size: 40\n"))
            .orElseThrow();
    assertEquals(new HistogramSpec.Exponential(40), sized.histogram());
    SpanMetricsConfig unsized =
        SpanMetricsConfig.from(yaml("connectors:\n  spanmetrics:\n    histogram:\n      exponential: {}\n")).orElseThrow();
    assertEquals(new HistogramSpec.Exponential(160), unsized.histogram());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "histogram: {unit: h}|connectors.spanmetrics.histogram.unit: 'h' is not ms or s",
        "histogram: {explicit: {buckets: [10ms, 5ms]}}|connectors.spanmetrics.histogram.explicit.buckets[1]",
        "histogram: {explicit: {buckets: [10 parsecs]}}|connectors.spanmetrics.histogram.explicit.buckets[0]",
        "dimensions: [{default: x}]|connectors.spanmetrics.dimensions[0].name: is required",
        "dimensions: [{name: span.name}]|'span.name' is already a default dimension",
        "aggregation_cardinality_limit: -1|connectors.spanmetrics.aggregation_cardinality_limit",
        "aggregation_temporality: SOMETIMES|connectors.spanmetrics.aggregation_temporality",
        "exemplars: {enabled: maybe}|connectors.spanmetrics.exemplars.enabled",
        "events: {enabled: true}|connectors.spanmetrics.events.dimensions",
        "dimension: []|connectors.spanmetrics: unknown key(s) [dimension]",
      })
  void badSettingsNameTheKey(String settings, String expected) {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> SpanMetricsConfig.from(yaml("connectors:\n  spanmetrics:\n    " + settings + "\n")));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "store: {ttl: 0s}|connectors.servicegraph.store.ttl: must be positive",
        "store: {max_items: 0}|connectors.servicegraph.store.max_items",
        "latency_histogram_buckets: [1s, 1s]|connectors.servicegraph.latency_histogram_buckets[1]",
        "virtual_node_peer_attributes: peer.service|connectors.servicegraph.virtual_node_peer_attributes: must be a list",
      })
  void badServiceGraphSettingsNameTheKey(String settings, String expected) {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ServiceGraphConfig.from(yaml("connectors:\n  servicegraph:\n    " + settings + "\n")));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
