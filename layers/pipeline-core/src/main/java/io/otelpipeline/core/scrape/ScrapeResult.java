package io.otelpipeline.core.scrape;

import io.otelpipeline.core.scrape.exposition.Exposition;
import io.otelpipeline.core.targets.ScrapeTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** One scrape of one target: what came back, or why nothing usable did. */
public record ScrapeResult(ScrapeTarget target, Instant start, Duration duration, Optional<Exposition> exposition, Optional<String> error) {
  public static ScrapeResult success(ScrapeTarget target, Instant start, Duration duration, Exposition exposition) {
    return new ScrapeResult(target, start, duration, Optional.of(exposition), Optional.empty());
  }

  public static ScrapeResult failure(ScrapeTarget target, Instant start, Duration duration, String error) {
    return new ScrapeResult(target, start, duration, Optional.empty(), Optional.of(error));
  }

  public boolean up() {
    return exposition.isPresent();
  }
}
