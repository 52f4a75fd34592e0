package io.otelpipeline.core.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.otelpipeline.core.scrape.exposition.ExpositionFormat;
import io.otelpipeline.core.scrape.exposition.ExpositionParser;
import io.otelpipeline.core.targets.ScrapeTarget;
import io.otelpipeline.core.targets.TargetSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExpositionToOtlpTest {
  static final ScrapeTarget NODE = ScrapeTarget.of("node", "node-a:9100", Map.of("env", "prod"), Duration.ofSeconds(15), TargetSource.CONFIG);
  static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
  static final Instant T2 = T1.plusSeconds(15);
  static final Instant T3 = T2.plusSeconds(15);

  static ResourceMetrics scrape(String text, ExpositionFormat format, Instant at, SeriesState state) {
    return ExpositionToOtlp.convert(ScrapeResult.success(NODE, at, Duration.ofMillis(20), ExpositionParser.parse(text, format)), state);
  }

  static Map<String, Metric> byName(ResourceMetrics rm) {
    return rm.getScopeMetrics(0).getMetricsList().stream().collect(Collectors.toMap(Metric::getName, m -> m));
  }

  static Map<String, String> attrs(List<KeyValue> kvs) {
    return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
  }

  @Test
  void jobAndInstanceBecomeTheResourceAndTargetLabelsTheAttributes() {
    ResourceMetrics rm = scrape("# TYPE c_total counter\nc_total{job=\"inner\",env=\"dev\"} 1\n", ExpositionFormat.PROMETHEUS_TEXT, T1, SeriesState.empty());
    Map<String, String> resource = attrs(rm.getResource().getAttributesList());
    assertEquals("node", resource.get("service.name"));
    assertEquals("node-a:9100", resource.get("service.instance.id"));
    assertEquals("node-a", resource.get("server.address"));
    assertEquals("9100", resource.get("server.port"));
    assertEquals(ExpositionToOtlp.SCOPE_NAME, rm.getScopeMetrics(0).getScope().getName());
    NumberDataPoint p = byName(rm).get("c_total").getSum().getDataPoints(0);
    assertEquals(Map.of("env", "prod", "exported_env", "dev", "exported_job", "inner"), attrs(p.getAttributesList()));
  }

  @Test
  void countersKeepTheirStartTimeAcrossScrapesAndRestartOnReset() {
    SeriesState s1 = SeriesState.empty();
    String text = "# TYPE c_total counter\nc_total 10\n";
    NumberDataPoint first = byName(scrape(text, ExpositionFormat.PROMETHEUS_TEXT, T1, s1)).get("c_total").getSum().getDataPoints(0);
    assertEquals(T1.toEpochMilli() * 1_000_000L, first.getStartTimeUnixNano());
    assertEquals(first.getTimeUnixNano(), first.getStartTimeUnixNano());

    SeriesState s2 = SeriesState.decode(s1.encodeAfterScrape(), T1.toEpochMilli());
    Metric second = byName(scrape("# TYPE c_total counter\nc_total 25\n", ExpositionFormat.PROMETHEUS_TEXT, T2, s2)).get("c_total");
    assertTrue(second.getSum().getIsMonotonic());
    assertEquals(T1.toEpochMilli() * 1_000_000L, second.getSum().getDataPoints(0).getStartTimeUnixNano());
    assertEquals(T2.toEpochMilli() * 1_000_000L, second.getSum().getDataPoints(0).getTimeUnixNano());

    SeriesState s3 = SeriesState.decode(s2.encodeAfterScrape(), T2.toEpochMilli());
    NumberDataPoint reset = byName(scrape("# TYPE c_total counter\nc_total 3\n", ExpositionFormat.PROMETHEUS_TEXT, T3, s3)).get("c_total").getSum().getDataPoints(0);
    assertEquals((T3.toEpochMilli() - 1) * 1_000_000L, reset.getStartTimeUnixNano());
  }

  @Test
  void histogramsBecomeCumulativeHistogramsWithPerBucketCounts() {
    String text = "# TYPE h histogram\nh_bucket{le=\"0.1\"} 2\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"+Inf\"} 6\nh_sum 3.5\nh_count 6\n";
    Metric h = byName(scrape(text, ExpositionFormat.PROMETHEUS_TEXT, T1, SeriesState.empty())).get("h");
    var p = h.getHistogram().getDataPoints(0);
    assertEquals(List.of(0.1, 1.0), p.getExplicitBoundsList());
    assertEquals(List.of(2L, 3L, 1L), p.getBucketCountsList());
    assertEquals(6, p.getCount());
    assertEquals(3.5, p.getSum());
    assertEquals(Map.of("env", "prod"), attrs(p.getAttributesList()));
  }

  @Test
  void openMetricsCreatedTimestampsExemplarsInfoAndStateset() {
    byte[] body = Fixtures.exposition("openmetrics-all-types.txt");
    ResourceMetrics rm = ExpositionToOtlp.convert(ScrapeResult.success(NODE, T1, Duration.ofMillis(5), ExpositionParser.parse(body, ExpositionFormat.OPENMETRICS)), SeriesState.empty());
    Map<String, Metric> m = byName(rm);
    Metric requests = m.get("acme_http_requests_total");
    assertEquals("requests", requests.getUnit());
    assertEquals(2, requests.getSum().getDataPointsCount());
    assertEquals(1_699_990_000_500L * 1_000_000L, requests.getSum().getDataPoints(0).getStartTimeUnixNano());
    var exemplar = requests.getSum().getDataPoints(1).getExemplars(0);
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", HexFormat.of().formatHex(exemplar.getTraceId().toByteArray()));
    assertEquals(1_699_990_000_000L * 1_000_000L, m.get("acme_request_seconds").getHistogram().getDataPoints(0).getStartTimeUnixNano());
    assertFalse(m.get("acme_build_info").getSum().getIsMonotonic());
    assertEquals(2, m.get("acme_feature").getSum().getDataPointsCount());
    assertEquals(2, m.get("acme_rpc_seconds").getSummary().getDataPoints(0).getQuantileValuesCount());
    assertFalse(m.containsKey("acme_queue_depth"), "gauge histograms have no OTLP equivalent");
    assertEquals(1.0, m.get("up").getGauge().getDataPoints(0).getAsDouble());
    assertEquals(22.0, m.get("scrape_samples_scraped").getGauge().getDataPoints(0).getAsDouble());
  }

  @Test
  void aRealNodeExporterScrapeConvertsEveryFamily() {
    byte[] body = Fixtures.exposition("node-exporter.prom");
    var exposition = ExpositionParser.parse(body, ExpositionFormat.PROMETHEUS_TEXT);
    SeriesState state = SeriesState.empty();
    ResourceMetrics rm = ExpositionToOtlp.convert(ScrapeResult.success(NODE, T1, Duration.ofMillis(12), exposition), state);
    assertEquals(exposition.families().size() + 3, rm.getScopeMetrics(0).getMetricsCount());
    assertEquals(0.012, byName(rm).get("scrape_duration_seconds").getGauge().getDataPoints(0).getAsDouble(), 1e-9);
    assertTrue(state.seriesSeen() > 100);
    assertTrue(state.encodeAfterScrape().length < DynamoDbSeriesStore.MAX_STATE_BYTES);
  }

  @Test
  void aFailedScrapeIsUpZeroWithNoSamples() {
    ResourceMetrics rm = ExpositionToOtlp.convert(ScrapeResult.failure(NODE, T1, Duration.ofSeconds(10), "timed out"), SeriesState.empty());
    Map<String, Metric> m = byName(rm);
    assertEquals(3, m.size());
    assertEquals(0.0, m.get("up").getGauge().getDataPoints(0).getAsDouble());
    assertEquals(0.0, m.get("scrape_samples_scraped").getGauge().getDataPoints(0).getAsDouble());
  }
}
