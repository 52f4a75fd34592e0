package io.otelpipeline.core.spanmetrics;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelpipeline.core.metrics.ExplicitHistogram;
import io.otelpipeline.core.metrics.HistogramSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Span metrics with cumulative temporality: what one record's spans add to each series, keyed so
 * that every shard and invocation finds the same series, and the series' running totals as the
 * connector's cumulative {@code calls}, {@code duration} and {@code events}, each with the start
 * time the series was first added at.
 */
public final class CumulativeSpanMetrics {
  private final SpanMetricsConfig config;
  private final byte[] shape;

  private CumulativeSpanMetrics(SpanMetricsConfig config) {
    if (!(config.histogram() instanceof HistogramSpec.Explicit)) {
      throw new IllegalArgumentException("cumulative span metrics keep explicit-bucket histograms only, not " + config.histogram());
    }
    this.config = config;
    // Series made under other buckets, unit or namespace are other series: a config change starts them afresh.
    this.shape =
        (config.namespace() + "|" + config.unit().symbol() + "|" + config.histogramDisabled() + "|" + config.histogram())
            .getBytes(StandardCharsets.UTF_8);
  }

  public static CumulativeSpanMetrics create(SpanMetricsConfig config) {
    return new CumulativeSpanMetrics(config);
  }

  /** The series one record's aggregate adds to. */
  public List<SeriesCounts> deltas(SpanMetricsAggregator aggregator) {
    List<SeriesCounts> out = new ArrayList<>();
    for (SpanMetricsAggregator.SeriesView s : aggregator.series()) {
      long count = 0;
      double sum = 0;
      List<Long> buckets = List.of();
      if (s.duration() instanceof ExplicitHistogram h) {
        count = h.count();
        sum = h.sum();
        buckets = Arrays.stream(h.bucketCounts()).boxed().toList();
      }
      out.add(
          new SeriesCounts(
              key(SeriesCounts.Kind.CALLS, s.resource(), s.attributes()), SeriesCounts.Kind.CALLS, s.resource(), s.attributes(),
              s.calls(), count, sum, buckets, 0));
      for (Map.Entry<List<KeyValue>, Long> e : s.events().entrySet()) {
        out.add(
            new SeriesCounts(
                key(SeriesCounts.Kind.EVENTS, s.resource(), e.getKey()), SeriesCounts.Kind.EVENTS, s.resource(), e.getKey(),
                e.getValue(), 0, 0, List.of(), 0));
      }
    }
    return out;
  }

  /** A series' identity: a digest of its kind, resource, attributes and the histogram's shape. */
  String key(SeriesCounts.Kind kind, Resource resource, List<KeyValue> attributes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(shape);
      sha.update((byte) kind.ordinal());
      sha.update(resource.toByteArray());
      sha.update((byte) 0);
      sha.update(KeyValueList.newBuilder().addAllValues(attributes).build().toByteArray());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha.digest(), 18));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Data points in {@link #toResourceMetrics}: calls and duration per calls series, one per events series. */
  public int dataPointCount(List<SeriesCounts> totals) {
    int points = 0;
    for (SeriesCounts s : totals) {
      points += s.kind() == SeriesCounts.Kind.CALLS && !config.histogramDisabled() ? 2 : 1;
    }
    return points;
  }

  /** The totals as cumulative OTLP metrics at {@code timeNanos}, one ResourceMetrics per resource. */
  public List<ResourceMetrics> toResourceMetrics(List<SeriesCounts> totals, long timeNanos) {
    AggregationTemporality cumulative = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    List<Double> bounds = ((HistogramSpec.Explicit) config.histogram()).bounds();
    Map<ByteString, List<SeriesCounts>> byResource = new LinkedHashMap<>();
    for (SeriesCounts s : totals) {
      byResource.computeIfAbsent(s.resource().toByteString(), r -> new ArrayList<>()).add(s);
    }
    List<ResourceMetrics> out = new ArrayList<>();
    for (List<SeriesCounts> series : byResource.values()) {
      Metric.Builder calls = Metric.newBuilder().setName(config.metricName("calls")).setUnit("{call}");
      calls.getSumBuilder().setIsMonotonic(true).setAggregationTemporality(cumulative);
      Metric.Builder duration = Metric.newBuilder().setName(config.metricName("duration")).setUnit(config.unit().symbol());
      duration.getHistogramBuilder().setAggregationTemporality(cumulative);
      Metric.Builder events = Metric.newBuilder().setName(config.metricName("events")).setUnit("{event}");
      events.getSumBuilder().setIsMonotonic(true).setAggregationTemporality(cumulative);
      for (SeriesCounts s : series) {
        NumberDataPoint point =
            NumberDataPoint.newBuilder()
                .addAllAttributes(s.attributes())
                .setStartTimeUnixNano(s.startNanos())
                .setTimeUnixNano(timeNanos)
                .setAsInt(s.calls())
                .build();
        if (s.kind() == SeriesCounts.Kind.EVENTS) {
          events.getSumBuilder().addDataPoints(point);
          continue;
        }
        calls.getSumBuilder().addDataPoints(point);
        if (!config.histogramDisabled()) {
          duration
              .getHistogramBuilder()
              .addDataPoints(
                  HistogramDataPoint.newBuilder()
                      .addAllAttributes(s.attributes())
                      .setStartTimeUnixNano(s.startNanos())
                      .setTimeUnixNano(timeNanos)
                      .setCount(s.count())
                      .setSum(s.sum())
                      .addAllExplicitBounds(bounds)
                      .addAllBucketCounts(s.buckets()));
        }
      }
      ScopeMetrics.Builder scope =
          ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(SpanMetricsAggregator.SCOPE_NAME));
      if (calls.getSum().getDataPointsCount() > 0) {
        scope.addMetrics(calls);
      }
      if (duration.getHistogram().getDataPointsCount() > 0) {
        scope.addMetrics(duration);
      }
      if (events.getSum().getDataPointsCount() > 0) {
        scope.addMetrics(events);
      }
      out.add(ResourceMetrics.newBuilder().setResource(series.get(0).resource()).addScopeMetrics(scope).build());
    }
    return out;
  }
}
