package io.otelpipeline.core.metrics;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.List;

/** One series' distribution of observations, each counted with a weight (a span's adjusted count). */
public sealed interface HistogramAccumulator permits ExplicitHistogram, ExponentialHistogram {
  void record(double value, long weight);

  long count();

  double sum();

  /** Appends this histogram as one data point of {@code metric}, whose histogram kind matches this one. */
  void appendTo(Metric.Builder metric, List<KeyValue> attributes, long startNanos, long endNanos, List<Exemplar> exemplars);
}
