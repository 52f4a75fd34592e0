package io.otelpipeline.core.metrics;

import java.util.List;

/** The shape of a histogram: explicit bucket bounds, or a base-2 exponential histogram of at most so many buckets. */
public sealed interface HistogramSpec {
  /** A fresh, empty histogram of this shape. */
  HistogramAccumulator newHistogram();

  /** Buckets {@code (-inf, b0], (b0, b1], ..., (bn, +inf)}, in the metric's unit. */
  record Explicit(List<Double> bounds) implements HistogramSpec {
    public Explicit {
      bounds = List.copyOf(bounds);
      for (int i = 1; i < bounds.size(); i++) {
        if (bounds.get(i) <= bounds.get(i - 1)) {
          throw new IllegalArgumentException("histogram bounds must increase: " + bounds);
        }
      }
    }

    @Override
    public HistogramAccumulator newHistogram() {
      return new ExplicitHistogram(bounds);
    }
  }

  /** An exponential histogram that lowers its scale to keep at most {@code maxSize} buckets. */
  record Exponential(int maxSize) implements HistogramSpec {
    /** The Collector's default {@code max_size}. */
    public static final int DEFAULT_MAX_SIZE = 160;

    @Override
    public HistogramAccumulator newHistogram() {
      return new ExponentialHistogram(maxSize);
    }
  }
}
