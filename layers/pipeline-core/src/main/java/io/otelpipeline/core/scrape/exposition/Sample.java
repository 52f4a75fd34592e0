package io.otelpipeline.core.scrape.exposition;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** One exposition line: a sample name with its labels, value, optional timestamp and exemplar. */
public record Sample(String name, List<Label> labels, double value, OptionalLong timestampMillis, Optional<Exemplar> exemplar) {
  public Sample {
    labels = List.copyOf(labels);
  }

  /** The value of a label, or null when the sample has none of that name. */
  public String label(String labelName) {
    for (Label l : labels) {
      if (l.name().equals(labelName)) {
        return l.value();
      }
    }
    return null;
  }
}
