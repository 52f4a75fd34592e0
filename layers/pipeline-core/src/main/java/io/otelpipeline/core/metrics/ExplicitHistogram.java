package io.otelpipeline.core.metrics;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.Arrays;
import java.util.List;

/** A histogram with explicit bounds; a value equal to a bound falls in the bucket that bound closes. */
public final class ExplicitHistogram implements HistogramAccumulator {
  private final double[] bounds;
  private final long[] counts;
  private long count;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  ExplicitHistogram(List<Double> bounds) {
    this.bounds = bounds.stream().mapToDouble(Double::doubleValue).toArray();
    this.counts = new long[this.bounds.length + 1];
  }

  @Override
  public void record(double value, long weight) {
    counts[bucketOf(value)] += weight;
    count += weight;
    sum += value * weight;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }

  /** The index of the first bound at or above the value; past the last bound, the overflow bucket. */
  int bucketOf(double value) {
    int i = Arrays.binarySearch(bounds, value);
    return i >= 0 ? i : -i - 1;
  }

  public long[] bucketCounts() {
    return counts.clone();
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public double sum() {
    return sum;
  }

  @Override
  public void appendTo(
      Metric.Builder metric, List<KeyValue> attributes, long startNanos, long endNanos, List<Exemplar> exemplars) {
    HistogramDataPoint.Builder point =
        HistogramDataPoint.newBuilder()
            .addAllAttributes(attributes)
            .setStartTimeUnixNano(startNanos)
            .setTimeUnixNano(endNanos)
            .setCount(count)
            .setSum(sum)
            .addAllExemplars(exemplars);
    for (double b : bounds) {
      point.addExplicitBounds(b);
    }
    for (long c : counts) {
      point.addBucketCounts(c);
    }
    if (count > 0) {
      point.setMin(min).setMax(max);
    }
    metric.getHistogramBuilder().addDataPoints(point);
  }
}
