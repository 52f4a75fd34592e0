package io.otelpipeline.core.scrape;

import io.otelpipeline.core.targets.ScrapeTarget;

/** What each target's series looked like at its last scrape, carried to the next scrape of it. */
public interface SeriesStore {
  /** The target's state after its last scrape; empty when it was never scraped or its state is gone. */
  SeriesState load(ScrapeTarget target);

  /** Stores the state after a scrape at {@code scrapedAtMillis}; false when it was too large to keep. */
  boolean save(ScrapeTarget target, SeriesState state, long scrapedAtMillis);
}
