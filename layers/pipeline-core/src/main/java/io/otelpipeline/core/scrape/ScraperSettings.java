package io.otelpipeline.core.scrape;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import java.time.Duration;

/**
 * What a scraper shard is told by its environment, decoded and checked once at start: the table
 * its assignment and series live in (SCRAPE_STATE_TABLE), how many targets it scrapes at once
 * (SCRAPE_CONCURRENCY), whether private addresses may be scraped (ALLOW_PRIVATE_TARGETS), the
 * largest exposition it reads (SCRAPE_MAX_BYTES) and how long one invocation serves its targets
 * (SCRAPE_WINDOW).
 */
public record ScraperSettings(String stateTable, int concurrency, boolean allowPrivateTargets, int maxBytes, Duration window) {
  /** How long one invocation serves its targets: the allocator's period. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
  /** Targets scraped at once by one invocation. */
  public static final int DEFAULT_CONCURRENCY = 32;

  public ScraperSettings {
    if (concurrency < 1) {
      throw new ConfigException("environment variable SCRAPE_CONCURRENCY must be at least 1, not " + concurrency);
    }
    if (maxBytes < 1) {
      throw new ConfigException("environment variable SCRAPE_MAX_BYTES must be at least 1, not " + maxBytes);
    }
    if (window.isNegative() || window.isZero()) {
      throw new ConfigException("environment variable SCRAPE_WINDOW must be longer than zero, not " + window);
    }
  }

  public static ScraperSettings from(FunctionEnvironment env) {
    return new ScraperSettings(
        env.require("SCRAPE_STATE_TABLE"),
        env.getInt("SCRAPE_CONCURRENCY", DEFAULT_CONCURRENCY),
        env.getBoolean("ALLOW_PRIVATE_TARGETS", false),
        env.getInt("SCRAPE_MAX_BYTES", TargetScraper.DEFAULT_MAX_BYTES),
        env.getDuration("SCRAPE_WINDOW", DEFAULT_WINDOW));
  }
}
