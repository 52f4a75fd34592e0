package io.otelpipeline.core.metrics;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.List;

/**
 * A base-2 exponential histogram of non-negative values (durations). Bucket {@code i} at scale
 * {@code s} holds values in {@code (2^(i/2^s), 2^((i+1)/2^s)]}. It starts at the finest scale and
 * halves its resolution whenever the populated range would exceed {@code maxSize} buckets.
 */
public final class ExponentialHistogram implements HistogramAccumulator {
  /** The finest scale the OpenTelemetry SDKs start from. */
  static final int MAX_SCALE = 20;

  private static final long MANTISSA_MASK = 0x000F_FFFF_FFFF_FFFFL;

  private final int maxSize;
  private int scale = MAX_SCALE;
  private long[] counts;
  /** The bucket index that {@code counts[0]} holds; meaningless while no bucket is populated. */
  private int offset;
  private int populated;
  private long zeroCount;
  private long count;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  ExponentialHistogram(int maxSize) {
    if (maxSize < 2) {
      throw new IllegalArgumentException("an exponential histogram needs max_size of at least 2, not " + maxSize);
    }
    this.maxSize = maxSize;
    this.counts = new long[0];
  }

  @Override
  public void record(double value, long weight) {
    double v = Math.max(0, value);
    count += weight;
    sum += v * weight;
    min = Math.min(min, v);
    max = Math.max(max, v);
    if (v == 0) {
      zeroCount += weight;
      return;
    }
    int index = indexOf(v, scale);
    if (populated == 0) {
      counts = new long[1];
      offset = index;
      populated = 1;
    } else {
      int low = Math.min(offset, index);
      int high = Math.max(offset + populated - 1, index);
      while ((long) high - low + 1 > maxSize) {
        downscale();
        index = indexOf(v, scale);
        low = Math.min(offset, index);
        high = Math.max(offset + populated - 1, index);
      }
      resize(low, high);
    }
    counts[index - offset] += weight;
  }

  /** The bucket holding a positive value at a scale; exact at powers of two, where logarithms are not. */
  static int indexOf(double value, int scale) {
    long bits = Double.doubleToRawLongBits(value);
    int exponent = Math.getExponent(value);
    boolean powerOfTwo = (bits & MANTISSA_MASK) == 0 && exponent >= Double.MIN_EXPONENT;
    if (scale <= 0) {
      int atZero = powerOfTwo ? exponent - 1 : exponent;
      if (exponent < Double.MIN_EXPONENT) {
        atZero = (int) Math.floor(Math.log(value) / Math.log(2));
      }
      return atZero >> -scale;
    }
    if (powerOfTwo) {
      return (exponent << scale) - 1;
    }
    double scaleFactor = Math.scalb(1 / Math.log(2), scale);
    return (int) Math.ceil(Math.log(value) * scaleFactor) - 1;
  }

  private void downscale() {
    long[] merged = new long[populated];
    int newOffset = offset >> 1;
    int highest = 0;
    for (int i = 0; i < populated; i++) {
      int target = ((offset + i) >> 1) - newOffset;
      merged[target] += counts[i];
      highest = Math.max(highest, target);
    }
    counts = merged;
    offset = newOffset;
    populated = highest + 1;
    scale--;
  }

  private void resize(int low, int high) {
    if (low == offset && high == offset + populated - 1) {
      return;
    }
    long[] grown = new long[high - low + 1];
    System.arraycopy(counts, 0, grown, offset - low, populated);
    counts = grown;
    offset = low;
    populated = grown.length;
  }

  public int scale() {
    return scale;
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
    ExponentialHistogramDataPoint.Buckets.Builder positive =
        ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(populated == 0 ? 0 : offset);
    for (int i = 0; i < populated; i++) {
      positive.addBucketCounts(counts[i]);
    }
    ExponentialHistogramDataPoint.Builder point =
        ExponentialHistogramDataPoint.newBuilder()
            .addAllAttributes(attributes)
            .setStartTimeUnixNano(startNanos)
            .setTimeUnixNano(endNanos)
            .setCount(count)
            .setSum(sum)
            .setScale(scale)
            .setZeroCount(zeroCount)
            .setPositive(positive)
            .addAllExemplars(exemplars);
    if (count > 0) {
      point.setMin(min).setMax(max);
    }
    metric.getExponentialHistogramBuilder().addDataPoints(point);
  }
}
