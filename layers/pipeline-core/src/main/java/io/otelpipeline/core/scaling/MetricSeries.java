package io.otelpipeline.core.scaling;

import java.util.List;

/** One metric's values over consecutive equal periods, oldest first; a period without data is absent. */
public record MetricSeries(List<Double> values) {
  public MetricSeries {
    values = List.copyOf(values);
  }

  public static MetricSeries of(double... values) {
    return new MetricSeries(java.util.Arrays.stream(values).boxed().toList());
  }

  public static MetricSeries empty() {
    return new MetricSeries(List.of());
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public double sum() {
    return values.stream().mapToDouble(Double::doubleValue).sum();
  }

  public double max() {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }

  public double last() {
    return values.isEmpty() ? 0 : values.get(values.size() - 1);
  }

  /** The last {@code n} values (all of them when there are fewer). */
  public MetricSeries recent(int n) {
    return new MetricSeries(values.subList(Math.max(0, values.size() - n), values.size()));
  }

  /** How many values exceed {@code threshold}. */
  public long countAbove(double threshold) {
    return values.stream().filter(v -> v > threshold).count();
  }

  /** Never falling and ending higher than it started: a queue that keeps growing. */
  public boolean rising() {
    if (values.size() < 2) {
      return false;
    }
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i) < values.get(i - 1)) {
        return false;
      }
    }
    return last() > values.get(0);
  }
}
