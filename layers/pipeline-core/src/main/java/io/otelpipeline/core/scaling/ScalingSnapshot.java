package io.otelpipeline.core.scaling;

import java.util.List;
import java.util.Optional;

/** Everything the advisor looks at: every stream, every consumer, and the scrapers if any. */
public record ScalingSnapshot(List<StreamSignals> streams, List<ConsumerSignals> consumers, Optional<ScraperSignals> scrapers) {
  public ScalingSnapshot {
    streams = List.copyOf(streams);
    consumers = List.copyOf(consumers);
  }
}
