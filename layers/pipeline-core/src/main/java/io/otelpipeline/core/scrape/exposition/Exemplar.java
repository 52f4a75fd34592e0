package io.otelpipeline.core.scrape.exposition;

import java.util.List;
import java.util.OptionalLong;

/** An OpenMetrics exemplar: labels (often a trace id), a value and an optional time. */
public record Exemplar(List<Label> labels, double value, OptionalLong timestampNanos) {
  public Exemplar {
    labels = List.copyOf(labels);
  }
}
