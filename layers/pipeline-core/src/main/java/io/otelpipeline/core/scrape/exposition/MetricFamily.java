package io.otelpipeline.core.scrape.exposition;

import java.util.List;

/** A metric family: its name, type, help text, unit (OpenMetrics) and samples in exposition order. */
public record MetricFamily(String name, MetricType type, String help, String unit, List<Sample> samples) {
  public MetricFamily {
    samples = List.copyOf(samples);
  }
}
