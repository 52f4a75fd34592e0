package io.otelpipeline.core.scrape.exposition;

import java.util.List;

/** A parsed scrape response. */
public record Exposition(ExpositionFormat format, List<MetricFamily> families) {
  public Exposition {
    families = List.copyOf(families);
  }

  /** The number of sample lines, as Prometheus counts them for {@code scrape_samples_scraped}. */
  public int sampleCount() {
    int n = 0;
    for (MetricFamily f : families) {
      n += f.samples().size();
    }
    return n;
  }
}
