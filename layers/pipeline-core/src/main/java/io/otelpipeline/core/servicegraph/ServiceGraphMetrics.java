package io.otelpipeline.core.servicegraph;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelpipeline.core.metrics.HistogramAccumulator;
import io.otelpipeline.core.metrics.HistogramSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service graph's series: requests, failed requests and client and server latency per edge
 * ({@code client}, {@code server}, {@code connection_type}, {@code failed} and the configured
 * dimensions), plus the halves that found no partner and the spans dropped for want of room.
 */
public final class ServiceGraphMetrics {
  public static final String SCOPE_NAME = ServiceGraphConfig.METRIC_PREFIX;
  public static final String REQUEST_TOTAL = ServiceGraphConfig.METRIC_PREFIX + "_request_total";
  public static final String REQUEST_FAILED_TOTAL = ServiceGraphConfig.METRIC_PREFIX + "_request_failed_total";
  public static final String REQUEST_SERVER_SECONDS = ServiceGraphConfig.METRIC_PREFIX + "_request_server_seconds";
  public static final String REQUEST_CLIENT_SECONDS = ServiceGraphConfig.METRIC_PREFIX + "_request_client_seconds";
  public static final String UNPAIRED_SPANS_TOTAL = ServiceGraphConfig.METRIC_PREFIX + "_unpaired_spans_total";
  public static final String DROPPED_SPANS_TOTAL = ServiceGraphConfig.METRIC_PREFIX + "_dropped_spans_total";

  private final ServiceGraphConfig config;
  private final Map<List<KeyValue>, EdgeSeries> series = new LinkedHashMap<>();
  private final Map<List<KeyValue>, Long> unpaired = new LinkedHashMap<>();
  private long dropped;

  private ServiceGraphMetrics(ServiceGraphConfig config) {
    this.config = config;
  }

  public static ServiceGraphMetrics create(ServiceGraphConfig config) {
    return new ServiceGraphMetrics(config);
  }

  private final class EdgeSeries {
    long requests;
    long failed;
    final HistogramAccumulator client = config.latencyHistogram().newHistogram();
    final HistogramAccumulator server = config.latencyHistogram().newHistogram();
  }

  public void add(EdgePairing.Result result) {
    for (Edge e : result.edges()) {
      add(e);
    }
    for (EdgeHalf half : result.unpaired()) {
      String side = half.side() == EdgeHalf.Side.CLIENT ? "client" : "server";
      unpaired.merge(List.of(string(side, half.service())), 1L, Long::sum);
    }
    dropped += result.droppedSpans();
  }

  public void add(Edge e) {
    List<KeyValue> attributes = new ArrayList<>();
    attributes.add(string("client", e.client()));
    attributes.add(string("server", e.server()));
    attributes.add(string("connection_type", e.connectionType()));
    attributes.add(KeyValue.newBuilder().setKey("failed").setValue(AnyValue.newBuilder().setBoolValue(e.failed())).build());
    e.dimensions().forEach((k, v) -> attributes.add(string(k, v)));
    EdgeSeries s = series.computeIfAbsent(List.copyOf(attributes), k -> new EdgeSeries());
    s.requests++;
    if (e.failed()) {
      s.failed++;
    }
    s.client.record(e.clientLatencySeconds(), 1);
    s.server.record(e.serverLatencySeconds(), 1);
  }

  public boolean isEmpty() {
    return series.isEmpty() && unpaired.isEmpty() && dropped == 0;
  }

  public int dataPointCount() {
    int points = 0;
    for (EdgeSeries s : series.values()) {
      points += s.failed > 0 ? 4 : 3;
    }
    return points + unpaired.size() + (dropped > 0 ? 1 : 0);
  }

  public ResourceMetrics toResourceMetrics(long startNanos, long endNanos) {
    Metric.Builder total = sum(REQUEST_TOTAL, "{request}");
    Metric.Builder failed = sum(REQUEST_FAILED_TOTAL, "{request}");
    Metric.Builder server = histogram(REQUEST_SERVER_SECONDS);
    Metric.Builder client = histogram(REQUEST_CLIENT_SECONDS);
    for (Map.Entry<List<KeyValue>, EdgeSeries> e : series.entrySet()) {
      EdgeSeries s = e.getValue();
      total.getSumBuilder().addDataPoints(point(e.getKey(), s.requests, startNanos, endNanos));
      if (s.failed > 0) {
        failed.getSumBuilder().addDataPoints(point(e.getKey(), s.failed, startNanos, endNanos));
      }
      s.server.appendTo(server, e.getKey(), startNanos, endNanos, List.of());
      s.client.appendTo(client, e.getKey(), startNanos, endNanos, List.of());
    }
    Metric.Builder unpairedMetric = sum(UNPAIRED_SPANS_TOTAL, "{span}");
    unpaired.forEach((k, v) -> unpairedMetric.getSumBuilder().addDataPoints(point(k, v, startNanos, endNanos)));
    Metric.Builder droppedMetric = sum(DROPPED_SPANS_TOTAL, "{span}");
    if (dropped > 0) {
      droppedMetric.getSumBuilder().addDataPoints(point(List.of(), dropped, startNanos, endNanos));
    }
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(SCOPE_NAME));
    for (Metric.Builder m : List.of(total, failed, server, client, unpairedMetric, droppedMetric)) {
      if (points(m) > 0) {
        scope.addMetrics(m);
      }
    }
    return ResourceMetrics.newBuilder().setResource(Resource.getDefaultInstance()).addScopeMetrics(scope).build();
  }

  private static int points(Metric.Builder m) {
    return switch (m.getDataCase()) {
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      default -> 0;
    };
  }

  private Metric.Builder sum(String name, String unit) {
    Metric.Builder m = Metric.newBuilder().setName(name).setUnit(unit);
    m.getSumBuilder().setIsMonotonic(true).setAggregationTemporality(config.temporality().otlp());
    return m;
  }

  private Metric.Builder histogram(String name) {
    Metric.Builder m = Metric.newBuilder().setName(name).setUnit("s");
    if (config.latencyHistogram() instanceof HistogramSpec.Explicit) {
      m.getHistogramBuilder().setAggregationTemporality(config.temporality().otlp());
    } else {
      m.getExponentialHistogramBuilder().setAggregationTemporality(config.temporality().otlp());
    }
    return m;
  }

  private static NumberDataPoint point(List<KeyValue> attributes, long value, long startNanos, long endNanos) {
    return NumberDataPoint.newBuilder()
        .addAllAttributes(attributes)
        .setStartTimeUnixNano(startNanos)
        .setTimeUnixNano(endNanos)
        .setAsInt(value)
        .build();
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
