package io.otelpipeline.load;

import java.util.Arrays;

/** Observed values (latencies, delays) kept whole, for exact percentiles at the end of a run. */
final class Samples {
  private long[] values = new long[1024];
  private int size;

  synchronized void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  synchronized int count() {
    return size;
  }

  /** The nearest-rank percentile, {@code p} in 0..100; -1 when nothing was observed. */
  synchronized long percentile(double p) {
    if (size == 0) {
      return -1;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.min(size, Math.max(rank, 1)) - 1];
  }
}
