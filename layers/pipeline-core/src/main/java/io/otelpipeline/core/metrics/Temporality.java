package io.otelpipeline.core.metrics;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;

/** How exported sums and histograms relate to earlier exports of the same series. */
public enum Temporality {
  /** Each export holds only what was aggregated since the previous one: exporters add up. */
  DELTA(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA),
  /** Each export holds the running total since the series started. */
  CUMULATIVE(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);

  private final AggregationTemporality otlp;

  Temporality(AggregationTemporality otlp) {
    this.otlp = otlp;
  }

  public AggregationTemporality otlp() {
    return otlp;
  }

  /** Parses the Collector's spelling, {@code AGGREGATION_TEMPORALITY_DELTA} or {@code AGGREGATION_TEMPORALITY_CUMULATIVE}. */
  public static Temporality parse(String value, String where) {
    for (Temporality t : values()) {
      if (t.otlp.name().equals(value) || t.name().equalsIgnoreCase(value)) {
        return t;
      }
    }
    throw new io.otelpipeline.core.config.ConfigException(
        where + ": '" + value + "' is not AGGREGATION_TEMPORALITY_DELTA or AGGREGATION_TEMPORALITY_CUMULATIVE");
  }
}
